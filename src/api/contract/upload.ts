// `POST {upload-host}/crm/v8/upload` (contract §3): multipart `file` = the ZIP; answers a file_id.
import { z } from 'zod';
import { zohoId } from './common.ts';

export const uploadResponse = z.looseObject({
  status: z.literal('success'),
  code: z.string(),
  message: z.string().nullish(),
  details: z.looseObject({ file_id: zohoId, created_time: z.string().nullish() }),
});
export type UploadResponse = z.infer<typeof uploadResponse>;

export interface UploadResponseOut {
  status: 'success';
  code: 'FILE_UPLOAD_SUCCESS';
  message: 'file uploaded.';
  details: { file_id: string; created_time: string };
}

/** The ZIP size cap and the multipart part name (contract §3, §11). */
export const UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
export const UPLOAD_PART_NAME = 'file';
