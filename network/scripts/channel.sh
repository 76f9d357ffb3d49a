# shellcheck shell=bash
# The `credentials` channel through the channel participation API: a genesis block from
# configtxgen, `osnadmin channel join` on every orderer, `peer channel join` on every peer.
# Anchor peers are part of the genesis block (AnchorPeers in configtx.yaml).

render_configtx() {
  local dir="${CL_OUT}/config" endpoints="" consenters="" n host port org
  mkdir -p "${dir}"
  for n in $(orderer_ids); do
    host="$(orderer_host "${n}")"; port="$(var ORDERER "${n}" _PORT)"
    endpoints+="      - $(node_address_host "${host}"):${port}"$'\n'
    consenters+="      - Host: $(node_address_host "${host}")"$'\n'
    consenters+="        Port: ${port}"$'\n'
    consenters+="        ClientTLSCert: $(orderer_dir "${n}")/tls/server.crt"$'\n'
    consenters+="        ServerTLSCert: $(orderer_dir "${n}")/tls/server.crt"$'\n'
  done
  local content
  content="$(<"${NETWORK_DIR}/config/configtx.yaml.in")"
  content="${content//@OUT@/${CL_OUT}}"
  content="${content//@ORDERER_ENDPOINTS@/${endpoints%$'\n'}}"
  content="${content//@CONSENTERS@/${consenters%$'\n'}}"
  for org in "${PEER_ORGS[@]}"; do
    local key
    key="$(upper "${org}")"
    content="${content//@PEER_${key}_HOST@/$(node_address_host "$(peer_host "${org}")")}"
    content="${content//@PEER_${key}_PORT@/$(var PEER_ "${org}" _PORT)}"
  done
  printf '%s\n' "${content}" >"${dir}/configtx.yaml"
}

osnadmin_args() {
  local n="$1" admin_tls
  admin_tls="$(dirname "$(admin_msp orderer)")/tls"
  echo "-o $(node_address_host "$(orderer_host "${n}")"):$(var ORDERER "${n}" _ADMIN_PORT) --ca-file $(orderer_tls_ca) --client-cert ${admin_tls}/server.crt --client-key ${admin_tls}/server.key"
}

# (Outputs are read whole before grep: `curl … | grep -q` under pipefail fails when grep exits at
# the first match and curl, still writing, gets SIGPIPE.)
orderer_channel_active() {
  local out
  # shellcheck disable=SC2046 # osnadmin_args is a list of words
  out="$(fab osnadmin channel list --channelID "${CHANNEL}" $(osnadmin_args "$1") 2>/dev/null)" || return 1
  grep -Eq '"status": *"active"' <<<"${out}"
}

# The orderers (their numbers) that report themselves Raft leader of CHANNEL on /metrics.
raft_leaders() {
  local n admin_tls metrics
  # The orderer admin's TLS certificate (from the orderer TLS CA) authenticates to /metrics.
  admin_tls="$(dirname "$(admin_msp orderer)")/tls"
  for n in $(orderer_ids); do
    metrics="$(ops_get_as "$(orderer_tls_ca)" "${admin_tls}/server.crt" "${admin_tls}/server.key" "$(var ORDERER "${n}" _OPS_PORT)" /metrics)" || continue
    if grep -Eq "^consensus_etcdraft_is_leader\{channel=\"${CHANNEL}\"\} 1" <<<"${metrics}"; then echo "${n}"; fi
  done
}

# Exactly one orderer is the Raft leader (an orderer that does not answer counts as not leading).
raft_leader_elected() {
  local leaders
  leaders="$(raft_leaders)"
  [ -n "${leaders}" ] && [ "$(wc -l <<<"${leaders}")" -eq 1 ]
}

peer_joined() {
  as_org_admin "$1"
  fab peer channel getinfo -c "${CHANNEL}"
}

create_channel() {
  local block="${ARTIFACTS_DIR}/${CHANNEL}.block" n org
  mkdir -p "${ARTIFACTS_DIR}"
  if [ ! -f "${block}" ]; then
    render_configtx
    log "creating the genesis block of ${CHANNEL}"
    fab configtxgen -configPath "${CL_OUT}/config" -profile CredentialsChannel -channelID "${CHANNEL}" -outputBlock "${block}"
  fi
  for n in $(orderer_ids); do
    if orderer_channel_active "${n}"; then
      log "orderer${n} already serves ${CHANNEL}"
    else
      # shellcheck disable=SC2046
      fab osnadmin channel join --channelID "${CHANNEL}" --config-block "${block}" $(osnadmin_args "${n}")
    fi
  done
  for n in $(orderer_ids); do wait_for "orderer${n} active in ${CHANNEL}" orderer_channel_active "${n}"; done
  wait_for "a Raft leader for ${CHANNEL}" raft_leader_elected

  for org in "${PEER_ORGS[@]}"; do
    if peer_joined "${org}" >/dev/null 2>&1; then
      log "peer0.${org} already joined ${CHANNEL}"
    else
      as_org_admin "${org}"
      fab peer channel join -b "${block}"
    fi
    wait_for "peer0.${org} joined ${CHANNEL}" peer_joined "${org}"
  done
}
