// `GET {api-domain}/crm/v8/org` (contract §2): the organisation, whose `zgid` goes in X-CRM-ORG on upload.
import { z } from 'zod';
import { zohoId } from './common.ts';

export const orgResponse = z.looseObject({
  org: z.array(z.looseObject({ zgid: zohoId, id: zohoId, company_name: z.string().nullish(), domain_name: z.string().nullish() })).min(1),
});
export type OrgResponse = z.infer<typeof orgResponse>;
