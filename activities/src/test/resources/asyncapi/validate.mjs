// Parses and validates an AsyncAPI document with AsyncAPI's own parser (@asyncapi/parser), the one its CLI and
// Studio use: the document against the AsyncAPI schema, its references (files included) resolved, and its rules.
//   node validate.mjs NODE_MODULES DOCUMENT
// Prints a line per diagnostic; exits 1 when one is an error.
import { createRequire } from "node:module";
import { join } from "node:path";

const [nodeModules, documentFile] = process.argv.slice(2);
const { Parser, fromFile } = createRequire(join(nodeModules, "noop.js"))("@asyncapi/parser");
const severities = ["error", "warning", "information", "hint"];
const { document, diagnostics } = await fromFile(new Parser(), documentFile).parse();
for (const diagnostic of diagnostics) {
  console.log(`${severities[diagnostic.severity]} ${diagnostic.code} at ${diagnostic.path.join(".")}: ${diagnostic.message}`);
}
if (document) {
  console.log(`parsed: ${document.channels().length} channels, ${document.messages().length} messages`);
}
process.exit(document && !diagnostics.some((diagnostic) => diagnostic.severity === 0) ? 0 : 1);
