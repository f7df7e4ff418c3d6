// The app's react-query client: no retries on auth errors, no refetch on focus (job polling has its own interval).
import { QueryClient } from '@tanstack/react-query';
import { AuthError } from '../api/errors.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (count, err) => !(err instanceof AuthError) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}
