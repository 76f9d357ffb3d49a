# shellcheck shell=bash
# Shared settings and helpers for fabric.sh: configuration from the environment, the two run
# modes (Docker Compose, native binaries), logging and readiness waits.

# ---- configuration (every value can be set in the environment) -------------------------------
: "${FABRIC_MODE:=auto}"            # docker | native | auto (docker when `docker compose` works)
: "${FABRIC_CRYPTO:=ca}"            # ca (Fabric CA, role attributes) | cryptogen (quick profile)
: "${FABRIC_ORDERERS:=3}"           # 3 (Raft cluster) | 1 (one-orderer profile for laptops)
: "${FABRIC_VERSION:=2.5}"          # image tag of fabric-peer / -orderer / -tools / -nodeenv
: "${FABRIC_CA_VERSION:=1.5}"
: "${CL_OUT:=${NETWORK_DIR}/out}"   # crypto material, env files, connection files, logs
: "${CL_DATA:=${CL_OUT}/data}"      # peer and orderer ledgers
: "${CHANNEL:=credentials}"
: "${CC_NAME:=credledger}"
: "${CC_BUILDER:=ccaas}"            # ccaas | node (standard Node builder; needs Docker)
: "${CC_INIT_FCN:=IssuerRegistryContract:Init}"  # Init lives in the non-default contract
[ -n "${CC_INIT_ARGS:-}" ] || CC_INIT_ARGS='{"governanceMspIds":["NdcMSP"]}'
: "${CC_SIGNATURE_POLICY:=}"        # empty: the channel's MAJORITY Endorsement
: "${WAIT_SECONDS:=120}"            # give up waiting for readiness after this long
: "${CA_BOOTSTRAP_USER:=admin}"
: "${CA_BOOTSTRAP_PASSWORD:=adminpw}"
: "${COMPOSE_PROJECT_NAME:=credledger}"

: "${ORDERER1_PORT:=7050}" "${ORDERER1_ADMIN_PORT:=7053}" "${ORDERER1_OPS_PORT:=9443}"
: "${ORDERER2_PORT:=8050}" "${ORDERER2_ADMIN_PORT:=8053}" "${ORDERER2_OPS_PORT:=9444}"
: "${ORDERER3_PORT:=9050}" "${ORDERER3_ADMIN_PORT:=9053}" "${ORDERER3_OPS_PORT:=9445}"
: "${PEER_NDC_PORT:=7051}" "${PEER_NDC_CC_PORT:=7052}" "${PEER_NDC_OPS_PORT:=9446}"
: "${PEER_MOJ_PORT:=8051}" "${PEER_MOJ_CC_PORT:=8052}" "${PEER_MOJ_OPS_PORT:=9447}"
: "${PEER_MOEA_PORT:=9051}" "${PEER_MOEA_CC_PORT:=9052}" "${PEER_MOEA_OPS_PORT:=9448}"
: "${CA_ORDERER_PORT:=7054}" "${CA_ORDERER_OPS_PORT:=17054}"
: "${CA_NDC_PORT:=8054}" "${CA_NDC_OPS_PORT:=18054}"
: "${CA_MOJ_PORT:=9054}" "${CA_MOJ_OPS_PORT:=19054}"
: "${CA_MOEA_PORT:=10054}" "${CA_MOEA_OPS_PORT:=20054}"
: "${CCAAS_NDC_PORT:=7999}" "${CCAAS_MOJ_PORT:=8999}" "${CCAAS_MOEA_PORT:=9999}"
: "${FIXTURE_CCAAS_NDC_PORT:=7998}" "${FIXTURE_CCAAS_MOJ_PORT:=8998}" "${FIXTURE_CCAAS_MOEA_PORT:=9998}"

export FABRIC_VERSION FABRIC_CA_VERSION CL_OUT CL_DATA COMPOSE_PROJECT_NAME CA_BOOTSTRAP_USER CA_BOOTSTRAP_PASSWORD
export ORDERER1_PORT ORDERER1_ADMIN_PORT ORDERER1_OPS_PORT ORDERER2_PORT ORDERER2_ADMIN_PORT ORDERER2_OPS_PORT
export ORDERER3_PORT ORDERER3_ADMIN_PORT ORDERER3_OPS_PORT
export PEER_NDC_PORT PEER_NDC_OPS_PORT PEER_MOJ_PORT PEER_MOJ_OPS_PORT PEER_MOEA_PORT PEER_MOEA_OPS_PORT
export CA_ORDERER_PORT CA_NDC_PORT CA_MOJ_PORT CA_MOEA_PORT

readonly DOMAIN=credledger.example
readonly PEER_ORGS=(ndc moj moea)
COMPOSE_FILE_PATH="${NETWORK_DIR}/compose/compose.yaml"
ORGS_DIR="${CL_OUT}/organizations"
RUN_DIR="${CL_OUT}/run"
LOG_DIR="${CL_OUT}/logs"
ENV_DIR="${CL_OUT}/env"
ARTIFACTS_DIR="${CL_OUT}/channel-artifacts"
CC_DIR="${CL_OUT}/chaincode"

# ---- logging ------------------------------------------------------------------------------------
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- organisations ----------------------------------------------------------------------------------
msp_of() {
  case "$1" in
    ndc) echo NdcMSP ;; moj) echo MojMSP ;; moea) echo MoeaMSP ;; orderer) echo OrdererMSP ;;
    *) die "unknown organisation $1" ;;
  esac
}
upper() { printf '%s' "$1" | tr '[:lower:]' '[:upper:]'; }
# Value of a variable whose name is built from parts, e.g. `var PEER_ MOJ _PORT`.
var() {
  local name
  name="$1$(upper "$2")$3"
  printf '%s' "${!name}"
}
org_domain() { if [ "$1" = orderer ]; then echo "orderer.${DOMAIN}"; else echo "$1.${DOMAIN}"; fi; }
peer_host() { echo "peer0.$1.${DOMAIN}"; }
orderer_host() { echo "orderer$1.orderer.${DOMAIN}"; }
orderer_ids() { if [ "${FABRIC_ORDERERS}" = 1 ]; then echo 1; else echo 1 2 3; fi; }
peer_dir() { echo "${ORGS_DIR}/peerOrganizations/$(org_domain "$1")/peers/$(peer_host "$1")"; }
orderer_dir() { echo "${ORGS_DIR}/ordererOrganizations/orderer.${DOMAIN}/orderers/$(orderer_host "$1")"; }
org_dir() {
  if [ "$1" = orderer ]; then echo "${ORGS_DIR}/ordererOrganizations/orderer.${DOMAIN}"
  else echo "${ORGS_DIR}/peerOrganizations/$(org_domain "$1")"; fi
}
admin_msp() { echo "$(org_dir "$1")/users/Admin@$(org_domain "$1")/msp"; }
orderer_tls_ca() { echo "$(org_dir orderer)/tlsca/tlsca.orderer.${DOMAIN}-cert.pem"; }
peer_tls_ca() { echo "$(org_dir "$1")/tlsca/tlsca.$(org_domain "$1")-cert.pem"; }

# Host name other nodes and the CLI use for a node: its Compose service name, or localhost natively.
node_address_host() { if [ "${MODE}" = docker ]; then echo "$1"; else echo localhost; fi; }

# ---- run modes --------------------------------------------------------------------------------------
resolve_mode() {
  MODE="${FABRIC_MODE}"
  if [ "${MODE}" = auto ]; then
    if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
      MODE=docker
    else
      MODE=native
    fi
  fi
  case "${MODE}" in
    docker)
      command -v docker >/dev/null 2>&1 || die "FABRIC_MODE=docker but docker is not on PATH"
      HOST_UID="$(id -u)"; HOST_GID="$(id -g)"
      DOCKER_SOCKET="${DOCKER_SOCKET:-/var/run/docker.sock}"
      DOCKER_GID="$(stat -c %g "${DOCKER_SOCKET}" 2>/dev/null || echo 0)"
      export HOST_UID HOST_GID DOCKER_SOCKET DOCKER_GID CL_REPO="${REPO_DIR}"
      ;;
    native)
      [ "${NEED_BINARIES:-1}" = 1 ] || return 0
      local tool
      for tool in peer orderer osnadmin configtxgen configtxlator; do
        command -v "${tool}" >/dev/null 2>&1 || die "native mode needs '${tool}' on PATH (Fabric ${FABRIC_VERSION} release binaries)"
      done
      local fabric_home
      fabric_home="$(cd "$(dirname "$(command -v peer)")/.." && pwd)"
      # The release tarball ships config/ (core.yaml, orderer.yaml) and builders/ccaas next to bin/.
      : "${FABRIC_CFG_DIR:=${fabric_home}/config}"
      : "${FABRIC_BUILDERS_DIR:=${fabric_home}/builders}"
      [ -f "${FABRIC_CFG_DIR}/core.yaml" ] || die "no core.yaml in FABRIC_CFG_DIR=${FABRIC_CFG_DIR} (the Fabric release's config/ folder)"
      [ -f "${FABRIC_CFG_DIR}/orderer.yaml" ] || die "no orderer.yaml in FABRIC_CFG_DIR=${FABRIC_CFG_DIR}"
      [ "${CC_BUILDER}" = ccaas ] || die "CC_BUILDER=${CC_BUILDER} needs Docker; native mode deploys chaincode as a service"
      ;;
    *) die "FABRIC_MODE must be docker, native or auto" ;;
  esac
  export MODE
}

compose() { docker compose -f "${COMPOSE_FILE_PATH}" "$@"; }

# Environment variables forwarded to Fabric CLI commands.
CLI_ENV_VARS=(CORE_PEER_LOCALMSPID CORE_PEER_MSPCONFIGPATH CORE_PEER_ADDRESS CORE_PEER_TLS_ENABLED
  CORE_PEER_TLS_ROOTCERT_FILE FABRIC_LOGGING_SPEC)

# Runs a Fabric CLI (peer, osnadmin, configtxgen, configtxlator) in the current mode.
fab() {
  if [ "${MODE}" = docker ]; then
    local args=() name
    for name in "${CLI_ENV_VARS[@]}"; do
      [ -n "${!name:-}" ] && args+=(-e "${name}=${!name}")
    done
    compose --profile tools exec -T "${args[@]}" tools "$@"
  else
    FABRIC_CFG_PATH="${FABRIC_CFG_DIR}" "$@"
  fi
}

# Runs fabric-ca-client for an organisation's CA.
ca_client() {
  local org="$1"; shift
  if [ "${MODE}" = docker ]; then
    compose --profile ca exec -T "ca.$(org_domain "${org}")" fabric-ca-client "$@"
  else
    fabric-ca-client "$@"
  fi
}

# Waits until "$@" succeeds, up to WAIT_SECONDS; $1 is what is awaited (for messages).
wait_for() {
  local what="$1"; shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    [ "${SECONDS}" -lt "${deadline}" ] || die "timed out after ${WAIT_SECONDS}s waiting for ${what}"
    sleep 1
  done
  log "ready: ${what}"
}

# GET an operations endpoint over TLS (server certificate from the node's TLS CA).
ops_get() { curl --silent --fail --max-time 5 --cacert "$1" "https://localhost:$2$3"; }
# The same with a client certificate: with TLS on, /metrics and /logspec answer 401 without one
# issued by a CA in the node's Operations.TLS.ClientRootCAs.
ops_get_as() { curl --silent --fail --max-time 5 --cacert "$1" --cert "$2" --key "$3" "https://localhost:$4$5"; }

# Reads KEY=VALUE lines (an env file written by this script) and exports them without shell parsing.
export_env_file() {
  local line
  while IFS= read -r line || [ -n "${line}" ]; do
    case "${line}" in ''|'#'*) continue ;; esac
    export "${line?}"
  done <"$1"
}

# Starts a native process in the background with an env file; records its pid.
start_native() {
  local name="$1" env_file="$2"; shift 2
  mkdir -p "${RUN_DIR}" "${LOG_DIR}"
  if [ -f "${RUN_DIR}/${name}.pid" ] && kill -0 "$(cat "${RUN_DIR}/${name}.pid")" 2>/dev/null; then
    log "${name} already running"
    return
  fi
  (
    # The env file may name its own FABRIC_CFG_PATH (the peers' core.yaml copy).
    export FABRIC_CFG_PATH="${FABRIC_CFG_DIR}"
    export_env_file "${env_file}"
    exec "$@"
  ) >>"${LOG_DIR}/${name}.log" 2>&1 &
  echo $! >"${RUN_DIR}/${name}.pid"
  log "started ${name} (pid $!, log ${LOG_DIR}/${name}.log)"
}

# Stops every native process this script started, by the pids it recorded.
stop_native() {
  local pidfile pid name deadline
  [ -d "${RUN_DIR}" ] || return 0
  for pidfile in "${RUN_DIR}"/*.pid; do
    [ -e "${pidfile}" ] || continue
    pid="$(cat "${pidfile}")"; name="$(basename "${pidfile}" .pid)"
    if kill -0 "${pid}" 2>/dev/null; then
      kill "${pid}"
      deadline=$((SECONDS + 20))
      while kill -0 "${pid}" 2>/dev/null && [ "${SECONDS}" -lt "${deadline}" ]; do sleep 0.5; done
      kill -0 "${pid}" 2>/dev/null && kill -9 "${pid}"
      log "stopped ${name} (pid ${pid})"
    fi
    rm -f "${pidfile}"
  done
}
