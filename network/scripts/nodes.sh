# shellcheck shell=bash
# Orderers and peers: their environment (one env file each, read by Docker Compose and by the
# native launcher alike), start, readiness and stop.

write_orderer_env() {
  local n="$1" dir host port admin_port ops_port listen
  dir="$(orderer_dir "${n}")"; host="$(orderer_host "${n}")"
  port="$(var ORDERER "${n}" _PORT)"; admin_port="$(var ORDERER "${n}" _ADMIN_PORT)"; ops_port="$(var ORDERER "${n}" _OPS_PORT)"
  if [ "${MODE}" = docker ]; then listen=0.0.0.0; else listen=127.0.0.1; fi
  mkdir -p "${ENV_DIR}" "${CL_DATA}/${host}"
  cat >"${ENV_DIR}/orderer${n}.env" <<EOF
FABRIC_LOGGING_SPEC=${FABRIC_LOGGING_SPEC:-INFO}
ORDERER_GENERAL_LISTENADDRESS=${listen}
ORDERER_GENERAL_LISTENPORT=${port}
ORDERER_GENERAL_LOCALMSPID=OrdererMSP
ORDERER_GENERAL_LOCALMSPDIR=${dir}/msp
ORDERER_GENERAL_TLS_ENABLED=true
ORDERER_GENERAL_TLS_PRIVATEKEY=${dir}/tls/server.key
ORDERER_GENERAL_TLS_CERTIFICATE=${dir}/tls/server.crt
ORDERER_GENERAL_TLS_ROOTCAS=[${dir}/tls/ca.crt]
ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE=${dir}/tls/server.crt
ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY=${dir}/tls/server.key
ORDERER_GENERAL_CLUSTER_ROOTCAS=[${dir}/tls/ca.crt]
ORDERER_GENERAL_BOOTSTRAPMETHOD=none
ORDERER_CHANNELPARTICIPATION_ENABLED=true
ORDERER_FILELEDGER_LOCATION=${CL_DATA}/${host}/ledger
ORDERER_CONSENSUS_WALDIR=${CL_DATA}/${host}/etcdraft/wal
ORDERER_CONSENSUS_SNAPDIR=${CL_DATA}/${host}/etcdraft/snapshot
ORDERER_ADMIN_LISTENADDRESS=${listen}:${admin_port}
ORDERER_ADMIN_TLS_ENABLED=true
ORDERER_ADMIN_TLS_PRIVATEKEY=${dir}/tls/server.key
ORDERER_ADMIN_TLS_CERTIFICATE=${dir}/tls/server.crt
ORDERER_ADMIN_TLS_ROOTCAS=[${dir}/tls/ca.crt]
ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED=true
ORDERER_ADMIN_TLS_CLIENTROOTCAS=[${dir}/tls/ca.crt]
ORDERER_OPERATIONS_LISTENADDRESS=${listen}:${ops_port}
ORDERER_OPERATIONS_TLS_ENABLED=true
ORDERER_OPERATIONS_TLS_PRIVATEKEY=${dir}/tls/server.key
ORDERER_OPERATIONS_TLS_CERTIFICATE=${dir}/tls/server.crt
ORDERER_OPERATIONS_TLS_CLIENTAUTHREQUIRED=false
ORDERER_OPERATIONS_TLS_CLIENTROOTCAS=[${dir}/tls/ca.crt]
ORDERER_METRICS_PROVIDER=prometheus
EOF
}

write_peer_env() {
  local org="$1" dir host port cc_port ops_port listen address ccaas_address
  dir="$(peer_dir "${org}")"; host="$(peer_host "${org}")"
  port="$(var PEER_ "${org}" _PORT)"; cc_port="$(var PEER_ "${org}" _CC_PORT)"; ops_port="$(var PEER_ "${org}" _OPS_PORT)"
  if [ "${MODE}" = docker ]; then
    listen=0.0.0.0; address="${host}"; ccaas_address="ccaas.$(org_domain "${org}"):9999"
  else
    listen=127.0.0.1; address=localhost; ccaas_address="localhost:$(var CCAAS_ "${org}" _PORT)"
  fi
  local builder_config="{\"ccaddress\":\"${ccaas_address}\"}"
  # Natively the fixture chaincode (deploy-fixture) also runs as a service, at its own address.
  [ "${MODE}" = docker ] ||
    builder_config="{\"ccaddress\":\"${ccaas_address}\",\"fixtureaddress\":\"localhost:$(var FIXTURE_CCAAS_ "${org}" _PORT)\"}"
  mkdir -p "${ENV_DIR}" "${CL_DATA}/${host}"
  {
    cat <<EOF
FABRIC_LOGGING_SPEC=${FABRIC_LOGGING_SPEC:-INFO}
CORE_PEER_ID=${host}
CORE_PEER_ADDRESS=${address}:${port}
CORE_PEER_LISTENADDRESS=${listen}:${port}
CORE_PEER_CHAINCODEADDRESS=${address}:${cc_port}
CORE_PEER_CHAINCODELISTENADDRESS=${listen}:${cc_port}
CORE_PEER_GOSSIP_BOOTSTRAP=${address}:${port}
CORE_PEER_GOSSIP_EXTERNALENDPOINT=${address}:${port}
CORE_PEER_LOCALMSPID=$(msp_of "${org}")
CORE_PEER_MSPCONFIGPATH=${dir}/msp
CORE_PEER_TLS_ENABLED=true
CORE_PEER_TLS_CERT_FILE=${dir}/tls/server.crt
CORE_PEER_TLS_KEY_FILE=${dir}/tls/server.key
CORE_PEER_TLS_ROOTCERT_FILE=${dir}/tls/ca.crt
CORE_PEER_FILESYSTEMPATH=${CL_DATA}/${host}
CORE_LEDGER_STATE_STATEDATABASE=goleveldb
CORE_LEDGER_SNAPSHOTS_ROOTDIR=${CL_DATA}/${host}/snapshots
CORE_PEER_GATEWAY_ENABLED=true
CORE_OPERATIONS_LISTENADDRESS=${listen}:${ops_port}
CORE_OPERATIONS_TLS_ENABLED=true
CORE_OPERATIONS_TLS_CERT_FILE=${dir}/tls/server.crt
CORE_OPERATIONS_TLS_KEY_FILE=${dir}/tls/server.key
CORE_OPERATIONS_TLS_CLIENTAUTHREQUIRED=false
CORE_METRICS_PROVIDER=prometheus
CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG=${builder_config}
EOF
    if [ "${MODE}" = docker ]; then
      # The image's core.yaml already lists the ccaas builder; the standard builder uses Docker.
      echo "CORE_VM_ENDPOINT=unix:///host/var/run/docker.sock"
      echo "CORE_VM_DOCKER_HOSTCONFIG_NETWORKMODE=${COMPOSE_PROJECT_NAME}_net"
    else
      # An empty environment variable does not override core.yaml (viper ignores it), so the
      # peers read a copy of core.yaml whose vm.endpoint is unset: no Docker health check.
      echo "FABRIC_CFG_PATH=$(native_peer_config_dir)"
      echo "CORE_CHAINCODE_EXTERNALBUILDERS=[{\"name\":\"ccaas_builder\",\"path\":\"${FABRIC_BUILDERS_DIR}/ccaas\",\"propagateEnvironment\":[\"CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG\"]}]"
    fi
  } >"${ENV_DIR}/peer0.${org}.env"
}

start_orderers() {
  local n services=()
  for n in $(orderer_ids); do
    write_orderer_env "${n}"
    services+=("$(orderer_host "${n}")")
  done
  if [ "${MODE}" = docker ]; then
    local profiles=()
    [ "${FABRIC_ORDERERS}" = 1 ] || profiles=(--profile raft3)
    compose "${profiles[@]}" up -d "${services[@]}"
  else
    for n in $(orderer_ids); do start_native "orderer${n}" "${ENV_DIR}/orderer${n}.env" orderer; done
  fi
  for n in $(orderer_ids); do
    wait_for "orderer${n} /healthz" ops_get "$(orderer_tls_ca)" "$(var ORDERER "${n}" _OPS_PORT)" /healthz
  done
}

# Native mode: core.yaml of FABRIC_CFG_DIR with vm.endpoint unset. With it set (as in the release's
# config/core.yaml) the peer registers a Docker health check and /healthz stays 503 without Docker.
native_peer_config_dir() { echo "${CL_OUT}/config/peer"; }
write_native_peer_config() {
  local dir
  dir="$(native_peer_config_dir)"
  mkdir -p "${dir}"
  sed '/^vm:/,/^[a-z]/ s|^\([[:space:]]*endpoint:\).*|\1 ""|' "${FABRIC_CFG_DIR}/core.yaml" >"${dir}/core.yaml"
  grep -Eq '^[[:space:]]+endpoint: ""' "${dir}/core.yaml" || die "could not unset vm.endpoint in ${dir}/core.yaml"
}

start_peers() {
  local org services=()
  [ "${MODE}" = docker ] || write_native_peer_config
  for org in "${PEER_ORGS[@]}"; do
    write_peer_env "${org}"
    services+=("$(peer_host "${org}")")
  done
  if [ "${MODE}" = docker ]; then
    compose up -d "${services[@]}"
    compose --profile tools up -d tools
  else
    for org in "${PEER_ORGS[@]}"; do start_native "peer0.${org}" "${ENV_DIR}/peer0.${org}.env" peer node start; done
  fi
  for org in "${PEER_ORGS[@]}"; do
    wait_for "peer0.${org} /healthz" ops_get "$(peer_tls_ca "${org}")" "$(var PEER_ "${org}" _OPS_PORT)" /healthz
  done
}

# Sets the peer CLI environment to act as <org>'s admin on its peer.
as_org_admin() {
  local org="$1"
  export CORE_PEER_LOCALMSPID CORE_PEER_MSPCONFIGPATH CORE_PEER_ADDRESS CORE_PEER_TLS_ENABLED CORE_PEER_TLS_ROOTCERT_FILE
  CORE_PEER_LOCALMSPID="$(msp_of "${org}")"
  CORE_PEER_MSPCONFIGPATH="$(admin_msp "${org}")"
  CORE_PEER_ADDRESS="$(node_address_host "$(peer_host "${org}")"):$(var PEER_ "${org}" _PORT)"
  CORE_PEER_TLS_ENABLED=true
  CORE_PEER_TLS_ROOTCERT_FILE="$(peer_tls_ca "${org}")"
}

# Acts as an organisation's application user (e.g. NDC's governance admin for Init).
as_org_user() {
  as_org_admin "$1"
  CORE_PEER_MSPCONFIGPATH="$(org_dir "$1")/users/$2@$(org_domain "$1")/msp"
}

orderer_args() {
  # -o for the first orderer, with its TLS CA; the peer CLI verifies the orderer's certificate.
  echo "-o $(node_address_host "$(orderer_host 1)"):${ORDERER1_PORT} --ordererTLSHostnameOverride $(orderer_host 1) --tls --cafile $(orderer_tls_ca)"
}

stop_all() {
  if [ "${MODE}" = docker ]; then
    compose --profile ca --profile raft3 --profile ccaas --profile tools down --remove-orphans --volumes
    # Chaincode containers the standard Node builder started (named dev-peer0.<org>...).
    docker ps -aq --filter "name=dev-peer0\.(ndc|moj|moea)\.${DOMAIN}" 2>/dev/null | xargs -r docker rm -f >/dev/null
  else
    stop_native
  fi
}
