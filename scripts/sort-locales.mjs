// Sorts every public/_locales/*/messages.json by key (keeping the first three identity keys on top), so work on
// different features adds keys in different places of the file and merges without conflicts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
const HEAD = ['extName', 'extDescription', 'locale'];
for (const lang of readdirSync('public/_locales')) {
  const file = `public/_locales/${lang}/messages.json`;
  const messages = JSON.parse(readFileSync(file, 'utf8'));
  const keys = Object.keys(messages).filter((k) => !HEAD.includes(k)).sort();
  const sorted = Object.fromEntries([...HEAD, ...keys].filter((k) => k in messages).map((k) => [k, messages[k]]));
  // Soft hyphens (where a long Swedish header may break) stay written as \u00ad: invisible characters in a file get
  // lost in edits.
  writeFileSync(file, JSON.stringify(sorted, null, 2).replace(/\u00ad/g, '\\u00ad') + '\n');
}
