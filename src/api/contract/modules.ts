// `GET {api-domain}/crm/v8/settings/modules` (contract §9).
import { z } from 'zod';
import { zohoId } from './common.ts';

export const moduleMeta = z.looseObject({
  api_name: z.string(),
  module_name: z.string().nullish(),
  singular_label: z.string().nullish(),
  plural_label: z.string().nullish(),
  id: zohoId.nullish(),
  api_supported: z.boolean().nullish(),
  creatable: z.boolean().nullish(),
  generated_type: z.string().nullish(),
});
export type ModuleMeta = z.infer<typeof moduleMeta>;

export const modulesResponse = z.looseObject({ modules: z.array(moduleMeta) });
export type ModulesResponse = z.infer<typeof modulesResponse>;
