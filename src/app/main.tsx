// Composition root: mounts the wizard with its providers and the design-token stylesheet.
// zod-config must stay the first import: it has to run before any schema module is evaluated.
import './zod-config.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../lib/query-client.ts';
import { captureSignInRedirect, takePageRedirect } from '../lib/zoho-sign-in.ts';
import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// First thing: a Zoho sign-in answer is taken out of the address bar before anything else can see or keep it.
const signIn = captureSignInRedirect();
const queryClient = createQueryClient();
if (signIn === 'popup') {
  // The sign-in window handed the answer to the import tab and tried to close; if the browser kept it open:
  createRoot(root).render(
    <main className="app-main">
      <h1>Signed in</h1>
      <p>Return to the import tab — this window can be closed.</p>
    </main>,
  );
} else
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App pageSignIn={signIn === 'page' ? takePageRedirect() : null} />
      </QueryClientProvider>
    </StrictMode>,
  );
