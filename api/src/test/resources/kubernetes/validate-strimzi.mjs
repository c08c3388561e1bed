// Validates Strimzi resources against Strimzi's v1 schemas, as the npm package @kubernetes-models/strimzi-kafka-operator
// compiles them from Strimzi's CRDs:
//   node validate-strimzi.mjs NODE_MODULES RESOURCES.json
// RESOURCES.json holds an array of resources. Prints a line per resource; exits 1 when one is invalid.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, resourcesFile] = process.argv.slice(2);
let invalid = 0;
for (const resource of JSON.parse(readFileSync(resourcesFile, "utf8"))) {
  const [group, version] = resource.apiVersion.split("/");
  const model = join(nodeModules, "@kubernetes-models/strimzi-kafka-operator", group, version, `${resource.kind}.js`);
  const { [resource.kind]: Model } = await import(pathToFileURL(model).href);
  try {
    new Model(resource).validate();
    console.log(`valid ${resource.kind} ${resource.metadata.name}`);
  } catch (error) {
    invalid++;
    console.log(`invalid ${resource.kind} ${resource.metadata.name}: ${error.message}`);
  }
}
process.exit(invalid === 0 ? 0 : 1);
