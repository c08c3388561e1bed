#!/usr/bin/env bash
# Prints the folder of the tools that check docker/kubernetes, for KubernetesManifestsIT and for you:
# $KUBE_TOOLS_HOME if set, else one put together once into a cache folder. The folder holds
#   bin/kustomize            renders the overlays (sigs.k8s.io/kustomize), built with Go
#   bin/kubeconform          validates what it renders (github.com/yannh/kubeconform), built with Go
#   schemas/kubernetes/      Kubernetes' JSON schemas, offline, from the PyPI package kubernetes-validate
#   schemas/crds/            CloudNativePG's CRDs, from its Go module
#   strimzi/node_modules/    Strimzi's v1 resource schemas, from the npm package @kubernetes-models/strimzi-kafka-operator
# Check the rendered manifests yourself with:
#   kustomize build docker/kubernetes/overlays/production | kubeconform -strict -skip Kafka,KafkaNodePool,KafkaTopic \
#     -schema-location "$(scripts/kube-tools.sh)/schemas/kubernetes/{{ .ResourceKind }}{{ .KindSuffix }}.json" ...
# Exits non-zero, saying why, when they cannot be had.
set -euo pipefail

kustomize_version=v5.8.2      # v5.8.3 needs Go 1.27
kubeconform_version=v0.8.0
kubernetes_validate_version=1.37.0
kubernetes_version=v1.34.0    # the oldest Kubernetes the manifests promise to run on
cloudnative_pg_version=v1.30.0
strimzi_models_version=1.0.1

if [ -n "${KUBE_TOOLS_HOME:-}" ]; then
  if [ ! -f "$KUBE_TOOLS_HOME/complete" ]; then
    echo "KUBE_TOOLS_HOME=$KUBE_TOOLS_HOME is not a folder this script made" >&2
    exit 1
  fi
  echo "$KUBE_TOOLS_HOME"
  exit 0
fi

home="${XDG_CACHE_HOME:-$HOME/.cache}/order-saga/kube-tools-$kustomize_version-$kubeconform_version-k8s-$kubernetes_version"
home="$home-cnpg-$cloudnative_pg_version-strimzi-$strimzi_models_version"
if [ -f "$home/complete" ]; then
  echo "$home"
  exit 0
fi
for tool in go python3 npm; do
  if ! command -v "$tool" > /dev/null; then
    echo "cannot put the Kubernetes tools together without $tool (Go 1.25+, Python 3 with pip, Node.js with npm)" >&2
    exit 1
  fi
done

echo "putting kustomize, kubeconform and the schemas together into $home (once, a minute or two) ..." >&2
rm -rf "$home"
mkdir -p "$home/bin" "$home/schemas/crds" "$home/download"
go_install="$(dirname "$0")/go-install.sh"
"$go_install" "sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version" "$home/bin"
"$go_install" "github.com/yannh/kubeconform/cmd/kubeconform@$kubeconform_version" "$home/bin"

python3 -m pip download --quiet --no-deps --dest "$home/download" "kubernetes-validate==$kubernetes_validate_version" >&2
python3 - "$home" "$kubernetes_version" <<'PYTHON'
import pathlib, sys, zipfile
home, version = pathlib.Path(sys.argv[1]), sys.argv[2]
wheel = next((home / "download").glob("kubernetes_validate-*.whl"))
prefix = f"kubernetes_validate/kubernetes-json-schema/{version}-local-strict/"
target = home / "schemas" / "kubernetes"
target.mkdir(parents=True)
with zipfile.ZipFile(wheel) as archive:
    for name in archive.namelist():
        if name.startswith(prefix) and name.endswith(".json"):
            # the package's files point at their definitions by a path on its server; kubeconform resolves only
            # absolute references, so point them at the copy here
            text = archive.read(name).decode().replace(
                '"/api/_definitions.json#', f'"file://{target.resolve()}/_definitions.json#')
            (target / name[len(prefix):]).write_text(text)
PYTHON

module_dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/cloudnative-pg/cloudnative-pg@$cloudnative_pg_version" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
cp "$module_dir"/config/crd/bases/postgresql.cnpg.io_*.yaml "$home/schemas/crds/"
chmod -R u+w "$home/schemas/crds"

npm install --silent --no-audit --no-fund --prefix "$home/strimzi" \
  "@kubernetes-models/strimzi-kafka-operator@$strimzi_models_version" >&2

rm -rf "$home/download"
touch "$home/complete"
echo "$home"
