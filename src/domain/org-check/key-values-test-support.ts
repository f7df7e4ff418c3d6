// Values for the org check's key property tests: case, non-ASCII letters whose lower case differs in length (İ),
// quotes that are doubled in a CSV, empty cells, leading spaces and repeats, plus short random strings.
import fc from 'fast-check';

export const keyValue = fc.oneof(
  fc.constantFrom('', 'a@x.com', 'A@X.COM', 'Müller', 'MÜLLER', 'İstanbul', 'istanbul', 'say "hi"', 'SAY "HI"', 'Σίσυφος', 'ß', 'SS', ' a@x.com'),
  fc.string({ maxLength: 6 }),
);
