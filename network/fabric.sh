#!/usr/bin/env bash
# credledger's Fabric 2.5 network: NdcMSP (governance), MojMSP, MoeaMSP (one peer each, goleveldb,
# Gateway on), an orderer organisation with three Raft orderers (or one), TLS everywhere, the
# `credentials` channel and the credledger chaincode.
#
#   network/fabric.sh up        identities, orderers, peers, channel; writes network/out/*.json
#   network/fabric.sh deploy    chaincode: package, install, approve, commit, Init
#   network/fabric.sh upgrade   chaincode: the next sequence with the current build
#   network/fabric.sh deploy-fixture  the sdk ledger suite's fixture chaincode (CC_BUILDER=node)
#   network/fabric.sh stage     only stage what deploy packages (out/chaincode/stage); prints its path
#   network/fabric.sh status    what runs, channel membership, Raft leader, committed chaincode
#   network/fabric.sh logs [n]  follow logs (all, or one node: orderer1, peer0.moj, ccaas.ndc, ca.moj, …)
#   network/fabric.sh down      stop everything this script started (add --purge to delete network/out)
#
# Settings come from the environment; see network/README.md (FABRIC_MODE, FABRIC_CRYPTO,
# FABRIC_ORDERERS, CC_BUILDER, ports, CL_OUT, CL_DATA, …).
set -euo pipefail

NETWORK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "${NETWORK_DIR}/.." && pwd)"

# Settings given explicitly (before defaults fill them in), to check against the saved ones.
declare -A EXPLICIT=(
  [FABRIC_MODE]="${FABRIC_MODE:-}" [FABRIC_CRYPTO]="${FABRIC_CRYPTO:-}"
  [FABRIC_ORDERERS]="${FABRIC_ORDERERS:-}" [CC_BUILDER]="${CC_BUILDER:-}"
)

# shellcheck source=scripts/common.sh
. "${NETWORK_DIR}/scripts/common.sh"
# shellcheck source=scripts/crypto.sh
. "${NETWORK_DIR}/scripts/crypto.sh"
# shellcheck source=scripts/nodes.sh
. "${NETWORK_DIR}/scripts/nodes.sh"
# shellcheck source=scripts/channel.sh
. "${NETWORK_DIR}/scripts/channel.sh"
# shellcheck source=scripts/chaincode.sh
. "${NETWORK_DIR}/scripts/chaincode.sh"

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# Connection files the sdk reads (schema in network/README.md): <org>.json for the organisation's
# application user, <org>.<user>.json for each other user.
write_connection_files() {
  local org user users dir msp cert
  for org in "${PEER_ORGS[@]}"; do
    dir="$(org_dir "${org}")"
    users="$(app_user_of "${org}")"
    if [ "${FABRIC_CRYPTO}" = ca ]; then
      local spec
      for spec in $(ca_users_of "${org}"); do
        user="${spec%%:*}"
        [ "${user}" = "$(app_user_of "${org}")" ] || users+=" ${user}"
      done
    fi
    for user in ${users}; do
      msp="${dir}/users/${user}@$(org_domain "${org}")/msp"
      cert="$(find "${msp}/signcerts" -name '*.pem' | head -n1)"
      local file="${CL_OUT}/${org}.json"
      [ "${user}" = "$(app_user_of "${org}")" ] || file="${CL_OUT}/${org}.${user}.json"
      cat >"${file}" <<EOF
{
  "mspId": "$(msp_of "${org}")",
  "peerEndpoint": "localhost:$(var PEER_ "${org}" _PORT)",
  "tlsRootCertPath": "$(peer_tls_ca "${org}")",
  "hostAlias": "$(peer_host "${org}")",
  "identity": {
    "certPath": "${cert}",
    "keyPath": "${msp}/keystore/priv_sk"
  },
  "channel": "${CHANNEL}",
  "chaincode": "${CC_NAME}"
}
EOF
      log "wrote ${file}"
    done
  done
}

# Remembers the mode and profile of the network in out/, so later commands use the same ones.
save_settings() {
  mkdir -p "${CL_OUT}"
  printf 'FABRIC_MODE=%s\nFABRIC_CRYPTO=%s\nFABRIC_ORDERERS=%s\nCC_BUILDER=%s\n' \
    "${MODE}" "${FABRIC_CRYPTO}" "${FABRIC_ORDERERS}" "${CC_BUILDER}" >"${CL_OUT}/settings.env"
}

load_settings() {
  [ -f "${CL_OUT}/settings.env" ] || return 0
  local line key value
  while IFS= read -r line; do
    key="${line%%=*}"; value="${line#*=}"
    local given="${EXPLICIT[${key}]:-}"
    # The chaincode builder may change between deployments; the rest defines the network.
    if [ "${key}" = CC_BUILDER ] && [ -n "${given}" ]; then continue; fi
    if [ -n "${given}" ] && [ "${given}" != auto ] && [ "${given}" != "${value}" ]; then
      die "${key}=${given} but the network in ${CL_OUT} was created with ${key}=${value}; run 'down --purge' first"
    fi
    printf -v "${key}" '%s' "${value}"
  done <"${CL_OUT}/settings.env"
}

cmd_up() {
  case "${FABRIC_CRYPTO}" in ca | cryptogen) ;; *) die "FABRIC_CRYPTO must be ca or cryptogen" ;; esac
  case "${FABRIC_ORDERERS}" in 1 | 3) ;; *) die "FABRIC_ORDERERS must be 1 or 3" ;; esac
  save_settings
  mkdir -p "${CL_DATA}" "${LOG_DIR}"
  if [ "${MODE}" = docker ] && [ "${FABRIC_CRYPTO}" = cryptogen ]; then
    compose --profile tools up -d tools
  fi
  make_crypto
  start_orderers
  start_peers
  create_channel
  restart_chaincode_servers
  write_connection_files
  local sequence
  sequence="$(committed_sequence)"
  if [ -n "${sequence}" ]; then
    log "network up (${MODE}, ${FABRIC_CRYPTO}, ${FABRIC_ORDERERS} orderer(s)); chaincode ${CC_NAME} sequence ${sequence} is committed; next: credledger init <dir> --ledger fabric --connection ${CL_OUT}/<org>.json"
  else
    log "network up (${MODE}, ${FABRIC_CRYPTO}, ${FABRIC_ORDERERS} orderer(s)); next: network/fabric.sh deploy"
  fi
}

cmd_status() {
  echo "mode: ${MODE}  crypto: ${FABRIC_CRYPTO}  orderers: ${FABRIC_ORDERERS}  chaincode builder: ${CC_BUILDER}"
  if [ "${MODE}" = docker ]; then
    compose --profile ca --profile raft3 --profile ccaas --profile tools ps
  else
    local pidfile
    for pidfile in "${RUN_DIR}"/*.pid; do
      [ -e "${pidfile}" ] || continue
      if kill -0 "$(cat "${pidfile}")" 2>/dev/null; then state=running; else state=stopped; fi
      printf '%-14s pid %-8s %s\n' "$(basename "${pidfile}" .pid)" "$(cat "${pidfile}")" "${state}"
    done
  fi
  local n org
  for n in $(orderer_ids); do
    if orderer_channel_active "${n}"; then echo "orderer${n}: ${CHANNEL} active"; else echo "orderer${n}: ${CHANNEL} not active"; fi
  done
  local leaders
  leaders="$(raft_leaders 2>/dev/null | tr '\n' ' ')"
  case "${leaders}" in
    '') echo "raft: no leader for ${CHANNEL}" ;;
    *' '?*) echo "raft: several orderers report leading ${CHANNEL}: ${leaders}" ;;
    *) echo "raft: leader of ${CHANNEL} is orderer${leaders% }" ;;
  esac
  for org in "${PEER_ORGS[@]}"; do
    as_org_admin "${org}"
    printf 'peer0.%s: ' "${org}"
    fab peer channel getinfo -c "${CHANNEL}" 2>/dev/null | sed -n 's/^Blockchain info: //p' || echo "not joined"
  done
  as_org_admin ndc
  fab peer lifecycle chaincode querycommitted --channelID "${CHANNEL}" --name "${CC_NAME}" 2>/dev/null || echo "${CC_NAME}: not committed"
}

cmd_logs() {
  local node="${1:-}"
  if [ "${MODE}" = docker ]; then
    local service=()
    case "${node}" in
      '') ;;
      orderer[123]) service=("${node}.orderer.${DOMAIN}") ;;
      peer0.* | ccaas.* | ca.*) service=("${node}.${DOMAIN}") ;;
      *) die "unknown node ${node}" ;;
    esac
    compose --profile ca --profile raft3 --profile ccaas logs --follow --tail 200 "${service[@]}"
  else
    if [ -n "${node}" ]; then tail -n 200 -F "${LOG_DIR}/${node}.log"; else tail -n 50 -F "${LOG_DIR}"/*.log; fi
  fi
}

cmd_down() {
  stop_all
  if [ "${1:-}" = --purge ]; then
    rm -rf "${CL_OUT}"
    log "removed ${CL_OUT}"
  fi
  log "network down"
}

main() {
  local command="${1:-}"
  [ $# -eq 0 ] || shift
  case "${command}" in
    up | deploy | deploy-fixture | upgrade | stage | status | logs | down) ;;
    -h | --help | help | '') usage; exit 0 ;;
    *) usage; exit 2 ;;
  esac
  load_settings
  # Staging is the packaging step alone: no network, no Fabric binaries, no run mode.
  if [ "${command}" = stage ]; then
    mkdir -p "${CC_DIR}"
    stage_chaincode
    printf '%s\n' "${CC_DIR}/stage"
    return
  fi
  # Stopping and reading logs need no Fabric binaries.
  case "${command}" in down | logs) NEED_BINARIES=0 ;; *) NEED_BINARIES=1 ;; esac
  resolve_mode
  case "${command}" in
    up) cmd_up ;;
    deploy) deploy_chaincode first ;;
    upgrade) deploy_chaincode upgrade ;;
    deploy-fixture) deploy_fixture ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    down) cmd_down "$@" ;;
  esac
}

main "$@"
