// Placeholder shell until the wizard lands (issue 4).
export function App() {
  return (
    <main>
      <h1>Zoho CRM Bulk Import</h1>
      <p>The import wizard is being built. The Bulk Write emulator is running on this origin.</p>
    </main>
  );
}
