// GET /crm/v8/settings/modules — the module list (contract §9).
import type { Hono } from 'hono';
import type { Emulator } from '../context.ts';

export function registerModules(app: Hono, emu: Emulator): void {
  app.get('/crm/:version{v[2-8]}/settings/modules', (c) =>
    c.json({
      modules: emu.meta.modules().map(({ info }) => ({
        api_name: info.api_name,
        module_name: info.module_name,
        singular_label: info.singular_label,
        plural_label: info.plural_label,
        id: info.id,
        api_supported: info.api_supported,
        creatable: info.creatable,
        generated_type: info.generated_type,
        visible: true,
      })),
    }),
  );
}
