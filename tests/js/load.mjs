// Loads automerge files with the JavaScript implementation and prints, per file, one JSON line:
// the file name, the document's heads and its content as plain JSON. Run by tests/tests/export.rs.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import * as Automerge from "@automerge/automerge";

for (const path of process.argv.slice(2)) {
  const doc = Automerge.load(new Uint8Array(readFileSync(path)));
  const line = {
    file: basename(path),
    heads: Automerge.getHeads(doc),
    content: JSON.parse(JSON.stringify(doc)),
  };
  console.log(JSON.stringify(line));
}
