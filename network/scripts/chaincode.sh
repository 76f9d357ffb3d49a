# shellcheck shell=bash
# The chaincode through the v2 lifecycle: package, install on every peer, approve by every
# organisation, commit, Init (first definition only). CC_BUILDER=ccaas runs it as a service
# (one `fabric-chaincode-node server` per organisation, TLS); CC_BUILDER=node lets each peer
# build and start it with the standard Node builder (Docker). An upgrade is a new sequence.
#
# Reference: https://hyperledger-fabric.readthedocs.io/en/release-2.5/chaincode_lifecycle.html
#            https://hyperledger-fabric.readthedocs.io/en/release-2.5/cc_service.html

CHAINCODE_SRC="${REPO_DIR}/chaincode"

# Chaincode servers (ccaas): credledger's are `ccaas.<org>` on CCAAS_<ORG>_PORT, reached by each peer
# at the `ccaddress` of its CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG; deploy-fixture sets these three to
# run the fixture's servers beside them (native mode).
CCAAS_SERVER=ccaas
CCAAS_PORT_VAR=CCAAS_
CCAAS_ADDRESS_KEY=ccaddress

# A JSON string literal of $1.
json_string() { printf '%s' "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify(s)))'; }

chaincode_version() {
  if [ -n "${CC_VERSION:-}" ]; then echo "${CC_VERSION}"; return; fi
  node -p "require('${CHAINCODE_SRC}/package.json').version"
}

# Copies the built chaincode (package.json + dist/) to a clean folder, the package's source, with
# every dependency it needs to install and run there (network/README.md, after "Build the chaincode first").
stage_chaincode() {
  if [ "${CC_STAGE:-credledger}" = fixture ]; then stage_fixture; return; fi
  [ -f "${CHAINCODE_SRC}/dist/index.js" ] || die "chaincode is not built: run 'npm run build' at the repository root"
  local stage="${CC_DIR}/stage"
  rm -rf "${stage}" && mkdir -p "${stage}"
  cp "${CHAINCODE_SRC}/package.json" "${stage}/"
  cp -R "${CHAINCODE_SRC}/dist" "${stage}/dist"
  find "${stage}/dist" -name '*.map' -delete
  stage_workspace_dependencies "${stage}"
  stage_locked_dependencies "${stage}"
}

# The chaincode's dependencies that are credledger workspace packages (@credledger/vocabulary) are on
# no registry a peer can reach. Each is packed as it would be published (npm pack) into the package's
# vendor/ folder, and the staged package.json names that tarball (file:vendor/<tarball>): the Node
# builder's `npm ci` installs it from the package itself, since Fabric leaves node_modules out of a
# Node chaincode package. It is also unpacked into node_modules (a real copy, no link into the
# repository), where chaincode as a service runs it from and where the package-lock.json is read.
stage_workspace_dependencies() {
  local stage="$1" name tarball
  for name in $(node -p "Object.keys(require('${stage}/package.json').dependencies ?? {}).filter((n) => n.startsWith('@credledger/')).join(' ')"); do
    mkdir -p "${stage}/vendor" "${stage}/node_modules/${name}"
    tarball="$(cd "${REPO_DIR}" && npm pack --workspace "${name}" --pack-destination "${stage}/vendor" --silent | tail -n1)"
    [ -f "${stage}/vendor/${tarball}" ] || die "could not pack ${name} (npm pack)"
    tar -xzf "${stage}/vendor/${tarball}" -C "${stage}/node_modules/${name}" --strip-components=1
    node -e "
      const fs = require('node:fs');
      const file = process.argv[1];
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      manifest.dependencies[process.argv[2]] = 'file:vendor/' + process.argv[3];
      fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\\n');
    " "${stage}/package.json" "${name}" "${tarball}"
  done
}

# The chaincode's production dependencies at the versions of the repository's package-lock.json
# (the ones its tests ran with), copied from the workspace's node_modules, and a package-lock.json
# of them. Resolving the ranges afresh is not safe: fabric-contract-api 2.5.8 asks for
# class-transformer ^0.4.0, and 0.4.1 renamed classToPlain, so every transaction returning an
# object (GetMetadata) failed with "classToPlain is not a function".
stage_locked_dependencies() {
  local stage="$1" path rel
  [ -d "${REPO_DIR}/node_modules/fabric-shim" ] || die "the workspace has no node_modules: run 'npm ci' at the repository root"
  mkdir -p "${stage}/node_modules"
  # Sorted, so a package comes before the packages nested in its own node_modules.
  while IFS= read -r path; do
    rel="${path#"${REPO_DIR}/node_modules/"}"
    [ "${rel}" != "${path}" ] || continue # the workspace root itself
    case "${rel}" in @credledger/*) continue ;; esac
    [ -e "${stage}/node_modules/${rel}" ] && continue
    mkdir -p "$(dirname "${stage}/node_modules/${rel}")"
    cp -R "${path}" "${stage}/node_modules/${rel}"
  done < <(cd "${REPO_DIR}" && npm ls --omit=dev --workspace "$(node -p "require('${CHAINCODE_SRC}/package.json').name")" \
    --all --parseable 2>/dev/null | sort -u)
  [ -d "${stage}/node_modules/fabric-contract-api" ] || die "could not list the chaincode's dependencies (npm ls)"
  # package-lock.json from the copied tree: the peer's Node builder runs `npm ci` with it.
  (cd "${stage}" && npm install --package-lock-only --omit=dev --no-audit --no-fund --ignore-scripts >/dev/null)
  if [ "${CC_BUILDER}" = ccaas ]; then
    # The chaincode servers run from this folder.
    mkdir -p "${stage}/node_modules/.bin"
    ln -sf ../fabric-shim/cli.js "${stage}/node_modules/.bin/fabric-chaincode-node"
  else
    rm -rf "${stage}/node_modules"
  fi
}

# Builds the install package for $1 (label) and prints its path.
package_chaincode() {
  local label="$1" pkg
  pkg="${CC_DIR}/${label}.tar.gz"
  if [ "${CC_BUILDER}" = ccaas ]; then
    local work="${CC_DIR}/ccaas-pkg" root_cert
    rm -rf "${work}" && mkdir -p "${work}/code"
    root_cert="$(json_string "$(cat "${CL_OUT}/ccaas-tls/ca.crt")")"
    # {{.ccaddress}} (or {{.fixtureaddress}}) is filled per peer from CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG, so one package
    # (one package id) serves every organisation in both modes.
    cat >"${work}/code/connection.json" <<EOF
{
  "address": "{{.${CCAAS_ADDRESS_KEY}}}",
  "dial_timeout": "10s",
  "tls_required": true,
  "client_auth_required": false,
  "root_cert": ${root_cert}
}
EOF
    printf '{"type":"ccaas","label":"%s"}\n' "${label}" >"${work}/metadata.json"
    tar -C "${work}/code" -czf "${work}/code.tar.gz" connection.json
    tar -C "${work}" -czf "${pkg}" metadata.json code.tar.gz
  else
    fab peer lifecycle chaincode package "${pkg}" --path "${CC_DIR}/stage" --lang node --label "${label}"
  fi
  echo "${pkg}"
}

# The committed sequence of CC_NAME, or nothing when it is not committed (querycommitted then
# exits 1, which must not end the script under `set -e -o pipefail`).
committed_sequence() {
  as_org_admin ndc
  local out
  out="$(fab peer lifecycle chaincode querycommitted --channelID "${CHANNEL}" --name "${CC_NAME}" --output json 2>/dev/null)" || return 0
  printf '%s\n' "${out}" | sed -n 's/.*"sequence": *\([0-9]*\).*/\1/p' | head -n1
}

sequence_committed_on() {
  as_org_admin "$1"
  fab peer lifecycle chaincode querycommitted --channelID "${CHANNEL}" --name "${CC_NAME}" --output json |
    grep -Eq "\"sequence\": *$2[,}[:space:]]"
}

all_approved() {
  as_org_admin ndc
  # shellcheck disable=SC2068 # $@ holds definition flags
  local out
  out="$(fab peer lifecycle chaincode checkcommitreadiness --channelID "${CHANNEL}" --name "${CC_NAME}" "$@" --output json)" || return 1
  ! printf '%s' "${out}" | grep -q 'false'
}

ccaas_env() {
  local org="$1" package_id="$2"
  mkdir -p "${ENV_DIR}"
  cat >"${ENV_DIR}/${CCAAS_SERVER}.${org}.env" <<EOF
CHAINCODE_ID=${package_id}
CORE_PEER_LOCALMSPID=$(msp_of "${org}")
CHAINCODE_TLS_CERT=${CL_OUT}/ccaas-tls/${org}.crt
CHAINCODE_TLS_KEY=${CL_OUT}/ccaas-tls/${org}.key
CORE_CHAINCODE_LOGGING_LEVEL=${CORE_CHAINCODE_LOGGING_LEVEL:-INFO}
EOF
}

ccaas_listening() {
  local org="$1"
  if [ "${MODE}" = docker ]; then
    compose --profile ccaas exec -T "ccaas.$(org_domain "${org}")" node -e \
      "require('net').connect(9999,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"
  else
    local pid
    pid="$(cat "${RUN_DIR}/${CCAAS_SERVER}.${org}.pid" 2>/dev/null || true)"
    if [ -n "${pid}" ] && ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 20 "${LOG_DIR}/${CCAAS_SERVER}.${org}.log" >&2
      die "the chaincode server ${CCAAS_SERVER}.${org} exited (log ${LOG_DIR}/${CCAAS_SERVER}.${org}.log)"
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$(var "${CCAAS_PORT_VAR}" "${org}" _PORT)") 2>/dev/null
  fi
}

# (Re)starts the chaincode servers with package id $1. With $2 = keep (what `up` passes), servers
# already running are left alone and only the ones that are down are started.
start_ccaas() {
  local package_id="$1" keep="${2:-}" org services=()
  for org in "${PEER_ORGS[@]}"; do
    ccaas_env "${org}" "${package_id}"
    services+=("ccaas.$(org_domain "${org}")")
  done
  if [ "${MODE}" = docker ]; then
    if [ "${keep}" = keep ]; then
      compose --profile ccaas up -d "${services[@]}"
    else
      compose --profile ccaas up -d --force-recreate "${services[@]}"
    fi
  else
    for org in "${PEER_ORGS[@]}"; do
      local pidfile="${RUN_DIR}/${CCAAS_SERVER}.${org}.pid"
      if [ "${keep}" != keep ] && [ -f "${pidfile}" ] && kill -0 "$(cat "${pidfile}")" 2>/dev/null; then
        kill "$(cat "${pidfile}")"
        while kill -0 "$(cat "${pidfile}")" 2>/dev/null; do sleep 0.5; done
        rm -f "${pidfile}"
      fi
      start_native "${CCAAS_SERVER}.${org}" "${ENV_DIR}/${CCAAS_SERVER}.${org}.env" \
        node "${CC_DIR}/stage/node_modules/.bin/fabric-chaincode-node" server \
        "--chaincode-address=127.0.0.1:$(var "${CCAAS_PORT_VAR}" "${org}" _PORT)" \
        "--chaincode-id=${package_id}" \
        "--module-path=${CC_DIR}/stage" \
        "--chaincode-tls-cert-file=${CL_OUT}/ccaas-tls/${org}.crt" \
        "--chaincode-tls-key-file=${CL_OUT}/ccaas-tls/${org}.key"
    done
  fi
  for org in "${PEER_ORGS[@]}"; do wait_for "chaincode server ${CCAAS_SERVER}.${org}" ccaas_listening "${org}"; done
}

peer_target_args() {
  local org
  for org in "${PEER_ORGS[@]}"; do
    printf -- '--peerAddresses %s:%s --tlsRootCertFiles %s ' \
      "$(node_address_host "$(peer_host "${org}")")" "$(var PEER_ "${org}" _PORT)" "$(peer_tls_ca "${org}")"
  done
}

# deploy_chaincode <first|upgrade>
deploy_chaincode() {
  local kind="$1" current sequence version label pkg package_id org
  current="$(committed_sequence)"
  if [ "${kind}" = first ] && [ -n "${current}" ]; then
    log "${CC_NAME} is already committed at sequence ${current}; use 'upgrade' for a new definition"
    return
  fi
  [ "${kind}" = upgrade ] && [ -z "${current}" ] && die "${CC_NAME} is not deployed yet; run 'deploy' first"
  sequence=$(( ${current:-0} + 1 ))
  version="$(chaincode_version)"
  [ "${kind}" = upgrade ] && [ -z "${CC_VERSION:-}" ] && version="${version}-s${sequence}"
  label="${CC_NAME}_${version}"

  log "packaging ${label} (${CC_BUILDER})"
  stage_chaincode
  pkg="$(package_chaincode "${label}")"
  package_id="$(fab peer lifecycle chaincode calculatepackageid "${pkg}")"

  for org in "${PEER_ORGS[@]}"; do
    as_org_admin "${org}"
    if fab peer lifecycle chaincode queryinstalled --output json | grep -q "\"${package_id}\""; then
      log "peer0.${org} has ${package_id}"
    else
      fab peer lifecycle chaincode install "${pkg}"
    fi
  done

  # Init only with the first definition: the governance configuration is set once, and an
  # upgrade keeps the state it initialised. Init needs the governance-admin role, which no
  # cryptogen identity has: the quick profile commits the definition without --init-required
  # (otherwise the peers refuse every other call, reads included, until an Init that cannot pass).
  local init_required="${CC_INIT_REQUIRED:-}"
  if [ -z "${init_required}" ]; then
    if [ "${FABRIC_CRYPTO}" = cryptogen ]; then init_required=0; else init_required=1; fi
  fi
  local definition=(--version "${version}" --sequence "${sequence}")
  [ "${sequence}" = 1 ] && [ "${init_required}" = 1 ] && definition+=(--init-required)
  [ -z "${CC_SIGNATURE_POLICY}" ] || definition+=(--signature-policy "${CC_SIGNATURE_POLICY}")

  for org in "${PEER_ORGS[@]}"; do
    as_org_admin "${org}"
    # shellcheck disable=SC2046 # orderer_args is a list of words
    fab peer lifecycle chaincode approveformyorg $(orderer_args) --channelID "${CHANNEL}" --name "${CC_NAME}" \
      --package-id "${package_id}" "${definition[@]}"
  done
  wait_for "approvals of every organisation" all_approved "${definition[@]}"

  # Chaincode servers must listen before the first transaction reaches the new definition.
  [ "${CC_BUILDER}" = ccaas ] && start_ccaas "${package_id}"

  as_org_admin ndc
  # shellcheck disable=SC2046
  fab peer lifecycle chaincode commit $(orderer_args) --channelID "${CHANNEL}" --name "${CC_NAME}" \
    "${definition[@]}" $(peer_target_args)
  for org in "${PEER_ORGS[@]}"; do
    wait_for "sequence ${sequence} committed on peer0.${org}" sequence_committed_on "${org}" "${sequence}"
  done

  if [ "${sequence}" = 1 ] && [ "${init_required}" = 1 ]; then
    log "Init ${CC_INIT_ARGS}"
    as_org_user ndc "$(app_user_of ndc)"
    local call
    call="{\"function\":\"${CC_INIT_FCN}\",\"Args\":[$(json_string "${CC_INIT_ARGS}")]}"
    # shellcheck disable=SC2046
    fab peer chaincode invoke $(orderer_args) --channelID "${CHANNEL}" --name "${CC_NAME}" --isInit \
      $(peer_target_args) -c "${call}" --waitForEvent
  elif [ "${sequence}" = 1 ] && [ "${FABRIC_CRYPTO}" = cryptogen ] && [ -z "${CC_INIT_REQUIRED:-}" ]; then
    log "quick profile: no Init (it needs the governance-admin role; cryptogen identities have no role attribute)"
  fi
  printf '%s\n' "${package_id}" >"${CC_DIR}/package-id"
  log "${CC_NAME} ${version} committed at sequence ${sequence} (package ${package_id})"
}

# Restarts chaincode servers after `up` on an existing network (ccaas only).
restart_chaincode_servers() {
  [ "${CC_BUILDER}" = ccaas ] && [ -f "${CC_DIR}/package-id" ] && start_ccaas "$(cat "${CC_DIR}/package-id")" keep
  if [ "${MODE}" = native ] && [ -f "${CL_OUT}/fixture-chaincode/package-id" ] && [ -f "${CL_OUT}/fixture.json" ] &&
    grep -q '"builder": "ccaas"' "${CL_OUT}/fixture.json"; then
    (
      fixture_ccaas_settings
      start_ccaas "$(cat "${CC_DIR}/package-id")" keep
    )
  fi
  return 0
}

# --- the ledger behaviour suite's fixture chaincode --------------------------------------------------
# packages/issuer/test/fixtures/test-chaincode.cjs exercises the chaincode stub directly (fabric-semantics §10);
# the sdk's ledger behaviour suite runs it when network/out/fixture.json names it. It is a second
# chaincode on the channel, through the same v2 lifecycle as credledger's: with the standard Node
# builder (CC_BUILDER=node, Docker), or natively as a service: one `fixture.<org>` server per
# organisation on FIXTURE_CCAAS_<ORG>_PORT, which each peer finds at the `fixtureaddress` of its
# CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG (one package, one package id for every peer).

FIXTURE_SRC="${REPO_DIR}/packages/issuer/test/fixtures/test-chaincode.cjs"
: "${FIXTURE_CC_NAME:=credledger-fixture}"

# A Node chaincode package source: the fixture and a package.json the Node builder installs and starts.
stage_fixture() {
  [ -f "${FIXTURE_SRC}" ] || die "fixture chaincode ${FIXTURE_SRC} is missing"
  local stage="${CC_DIR}/stage" versions
  rm -rf "${stage}" && mkdir -p "${stage}"
  cp "${FIXTURE_SRC}" "${stage}/index.js"
  # The same fabric-contract-api / fabric-shim as credledger's chaincode.
  versions="$(node -p "const p=require('${CHAINCODE_SRC}/package.json').dependencies; JSON.stringify({'fabric-contract-api':p['fabric-contract-api'],'fabric-shim':p['fabric-shim'],'reflect-metadata':'^0.1.14'})")"
  cat >"${stage}/package.json" <<EOF
{
  "name": "${FIXTURE_CC_NAME}",
  "version": "$(chaincode_version)",
  "private": true,
  "main": "index.js",
  "engines": { "node": ">=18" },
  "scripts": { "start": "fabric-chaincode-node start" },
  "dependencies": ${versions}
}
EOF
  stage_locked_dependencies "${stage}"
}

# The fixture's chaincode servers (native chaincode as a service), beside credledger's.
fixture_ccaas_settings() {
  CC_NAME="${FIXTURE_CC_NAME}"
  CC_DIR="${CL_OUT}/fixture-chaincode"
  CCAAS_SERVER=fixture
  CCAAS_PORT_VAR=FIXTURE_CCAAS_
  CCAAS_ADDRESS_KEY=fixtureaddress
}

# Deploys the fixture (the first definition, or the next sequence when one is committed) and writes
# out/fixture.json for the test suite.
deploy_fixture() {
  [ "${CC_BUILDER}" = node ] || [ "${MODE}" = native ] ||
    die "deploy-fixture needs CC_BUILDER=node with Docker (the Compose file runs no fixture chaincode servers)"
  (
    fixture_ccaas_settings
    CC_STAGE=fixture
    CC_INIT_REQUIRED=0
    # Any one organisation's peer endorses: the fixture reports which peer ran it, so endorsements
    # from several peers would differ by design.
    CC_SIGNATURE_POLICY="OR('NdcMSP.peer','MojMSP.peer','MoeaMSP.peer')"
    mkdir -p "${CC_DIR}"
    if [ -n "$(committed_sequence)" ]; then deploy_chaincode upgrade; else deploy_chaincode first; fi
  )
  local roles=false
  [ "${FABRIC_CRYPTO}" = ca ] && roles=true
  cat >"${CL_OUT}/fixture.json" <<EOF
{
  "chaincode": "${FIXTURE_CC_NAME}",
  "totalQueryLimit": ${PEER_TOTAL_QUERY_LIMIT:-100000},
  "roles": ${roles},
  "builder": "${CC_BUILDER}"
}
EOF
  log "wrote ${CL_OUT}/fixture.json"
}
