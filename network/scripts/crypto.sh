# shellcheck shell=bash
# Identities: one Fabric CA per organisation (register + enroll, with `credledger.role` attributes
# in enrollment certificates), or cryptogen for the quick profile. Both write cryptogen's layout:
#   organizations/{peer,orderer}Organizations/<domain>/{msp,tlsca,ca,peers|orderers,users}
# so everything downstream is the same.

# The users each organisation gets in CA mode: name:type:role ("-" = no role attribute).
ca_users_of() {
  case "$1" in
    ndc) echo "govadmin:client:governance-admin auditor:client:auditor" ;;
    moj | moea) echo "operator:client:issuer-operator auditor:client:auditor" ;;
    orderer) echo "" ;;
  esac
}

# The identity whose certificate the organisation's connection file uses.
app_user_of() {
  if [ "${FABRIC_CRYPTO}" = cryptogen ]; then echo "User1"; return; fi
  case "$1" in ndc) echo govadmin ;; *) echo operator ;; esac
}

write_node_ous() {
  # $1 = msp dir. Fabric CA puts the registered type (client, peer, admin, orderer) in the OU.
  cat >"$1/config.yaml" <<'YAML'
NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: cacerts/ca.pem
    OrganizationalUnitIdentifier: orderer
YAML
}

ca_home() { echo "${CL_OUT}/fabric-ca/$1"; }
ca_port() { var CA_ "$1" _PORT; }

write_ca_env() {
  local org="$1" host
  host="ca.$(org_domain "${org}")"
  mkdir -p "${ENV_DIR}" "$(ca_home "${org}")"
  cat >"${ENV_DIR}/ca.${org}.env" <<EOF
FABRIC_CA_SERVER_HOME=$(ca_home "${org}")
FABRIC_CA_SERVER_CA_NAME=ca-${org}
FABRIC_CA_SERVER_TLS_ENABLED=true
FABRIC_CA_SERVER_PORT=$(ca_port "${org}")
FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS=127.0.0.1:$(var CA_ "${org}" _OPS_PORT)
FABRIC_CA_SERVER_CSR_CN=${host}
FABRIC_CA_SERVER_CSR_HOSTS=${host},localhost,127.0.0.1
CA_BOOTSTRAP_USER=${CA_BOOTSTRAP_USER}
CA_BOOTSTRAP_PASSWORD=${CA_BOOTSTRAP_PASSWORD}
EOF
}

start_cas() {
  local org
  for org in orderer "${PEER_ORGS[@]}"; do write_ca_env "${org}"; done
  if [ "${MODE}" = docker ]; then
    compose --profile ca up -d "ca.orderer.${DOMAIN}" "ca.ndc.${DOMAIN}" "ca.moj.${DOMAIN}" "ca.moea.${DOMAIN}"
  else
    for org in orderer "${PEER_ORGS[@]}"; do
      start_native "ca.${org}" "${ENV_DIR}/ca.${org}.env" \
        fabric-ca-server start -b "${CA_BOOTSTRAP_USER}:${CA_BOOTSTRAP_PASSWORD}"
    done
  fi
  for org in orderer "${PEER_ORGS[@]}"; do
    wait_for "CA of ${org}" ca_ready "${org}"
  done
}

ca_ready() {
  local cert
  cert="$(ca_home "$1")/ca-cert.pem"
  [ -s "${cert}" ] && curl --silent --fail --max-time 5 --cacert "${cert}" "https://localhost:$(ca_port "$1")/cainfo"
}

random_secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }

# Moves an enrolled MSP's files to fixed names: cacerts/ca.pem, keystore/priv_sk.
normalise_msp() {
  local msp="$1" file
  for file in "${msp}"/cacerts/*; do [ "${file}" = "${msp}/cacerts/ca.pem" ] || mv "${file}" "${msp}/cacerts/ca.pem"; done
  for file in "${msp}"/keystore/*; do [ "${file}" = "${msp}/keystore/priv_sk" ] || mv "${file}" "${msp}/keystore/priv_sk"; done
  write_node_ous "${msp}"
}

# Moves an enrollment made with the tls profile to the ca.crt / server.crt / server.key names peers use.
normalise_tls() {
  local dir="$1" file
  for file in "${dir}"/tlscacerts/*; do cp "${file}" "${dir}/ca.crt"; done
  for file in "${dir}"/signcerts/*; do cp "${file}" "${dir}/server.crt"; done
  for file in "${dir}"/keystore/*; do cp "${file}" "${dir}/server.key"; done
  chmod 600 "${dir}/server.key"
}

# register_and_enroll <org> <name> <type> <role|-> <msp-dir> [<tls-dir> <host>]
register_and_enroll() {
  local org="$1" name="$2" type="$3" role="$4" msp="$5" tls="${6:-}" host="${7:-}"
  local secret url tls_ca admin_home
  secret="$(random_secret)"
  mkdir -p "${CL_OUT}/secrets" && chmod 700 "${CL_OUT}/secrets"
  (umask 077 && printf '%s\n' "${secret}" >"${CL_OUT}/secrets/${org}-${name}")
  tls_ca="$(ca_home "${org}")/ca-cert.pem"
  admin_home="$(org_dir "${org}")/ca-admin"
  local attrs=()
  [ "${role}" = - ] || attrs=(--id.attrs "credledger.role=${role}:ecert")
  ca_client "${org}" register --caname "ca-${org}" -u "https://localhost:$(ca_port "${org}")" \
    --id.name "${name}" --id.secret "${secret}" --id.type "${type}" "${attrs[@]}" \
    --tls.certfiles "${tls_ca}" -H "${admin_home}"
  url="https://${name}:${secret}@localhost:$(ca_port "${org}")"
  local hosts=()
  [ -z "${host}" ] || hosts=(--csr.hosts "${host},localhost,127.0.0.1")
  ca_client "${org}" enroll -u "${url}" --caname "ca-${org}" -M "${msp}" "${hosts[@]}" --tls.certfiles "${tls_ca}" -H "${admin_home}"
  normalise_msp "${msp}"
  if [ -n "${tls}" ]; then
    ca_client "${org}" enroll -u "${url}" --caname "ca-${org}" -M "${tls}" --enrollment.profile tls \
      "${hosts[@]}" --tls.certfiles "${tls_ca}" -H "${admin_home}"
    normalise_tls "${tls}"
  fi
}

make_org_with_ca() {
  local org="$1" domain dir tls_ca
  domain="$(org_domain "${org}")"
  dir="$(org_dir "${org}")"
  tls_ca="$(ca_home "${org}")/ca-cert.pem"
  log "enrolling identities of ${org} with its Fabric CA"
  mkdir -p "${dir}/msp/cacerts" "${dir}/msp/tlscacerts" "${dir}/tlsca" "${dir}/ca"
  # One CA per organisation signs both enrollment and TLS certificates (TLS via the tls profile).
  cp "${tls_ca}" "${dir}/msp/cacerts/ca.pem"
  cp "${tls_ca}" "${dir}/msp/tlscacerts/ca.pem"
  cp "${tls_ca}" "${dir}/tlsca/tlsca.${domain}-cert.pem"
  cp "${tls_ca}" "${dir}/ca/ca.${domain}-cert.pem"
  write_node_ous "${dir}/msp"
  ca_client "${org}" enroll -u "https://${CA_BOOTSTRAP_USER}:${CA_BOOTSTRAP_PASSWORD}@localhost:$(ca_port "${org}")" \
    --caname "ca-${org}" --tls.certfiles "${tls_ca}" -H "${dir}/ca-admin"

  local n
  if [ "${org}" = orderer ]; then
    for n in 1 2 3; do
      register_and_enroll orderer "orderer${n}" orderer - "$(orderer_dir "${n}")/msp" "$(orderer_dir "${n}")/tls" "$(orderer_host "${n}")"
    done
    # The orderer admin also gets a TLS certificate: osnadmin authenticates with it (mutual TLS).
    register_and_enroll orderer ordereradmin admin - "$(admin_msp orderer)" "$(dirname "$(admin_msp orderer)")/tls" ""
  else
    register_and_enroll "${org}" peer0 peer - "$(peer_dir "${org}")/msp" "$(peer_dir "${org}")/tls" "$(peer_host "${org}")"
    register_and_enroll "${org}" "${org}admin" admin - "$(admin_msp "${org}")"
    local spec name type role
    for spec in $(ca_users_of "${org}"); do
      IFS=: read -r name type role <<<"${spec}"
      register_and_enroll "${org}" "${name}" "${type}" "${role}" "${dir}/users/${name}@${domain}/msp"
    done
  fi
}

make_crypto_with_cryptogen() {
  command -v cryptogen >/dev/null 2>&1 || [ "${MODE}" = docker ] || die "FABRIC_CRYPTO=cryptogen needs cryptogen on PATH"
  log "quick profile: cryptogen identities (no role attributes: role-checked transactions are denied)"
  fab cryptogen generate --config="${NETWORK_DIR}/config/crypto-config.yaml" --output="${ORGS_DIR}"
  # osnadmin authenticates with a TLS client certificate from the orderer TLS CA.
  local admin_tls
  admin_tls="$(dirname "$(admin_msp orderer)")/tls"
  cp "${admin_tls}/client.crt" "${admin_tls}/server.crt"
  cp "${admin_tls}/client.key" "${admin_tls}/server.key"
}

make_crypto() {
  if [ -d "${ORGS_DIR}/peerOrganizations" ]; then
    log "identities exist in ${ORGS_DIR}; keeping them"
    # The CAs keep their database in their home folders: bring them back too (after `down`), so
    # reenroll, register and `revoke --gencrl` have something to talk to. Running ones are left alone.
    if [ "${FABRIC_CRYPTO}" = ca ]; then
      if [ "${MODE}" = native ]; then
        command -v fabric-ca-server >/dev/null 2>&1 || die "FABRIC_CRYPTO=ca needs fabric-ca-server on PATH to start the CAs"
      fi
      start_cas
    fi
    return
  fi
  mkdir -p "${ORGS_DIR}"
  if [ "${FABRIC_CRYPTO}" = cryptogen ]; then
    make_crypto_with_cryptogen
  else
    if [ "${MODE}" = native ]; then
      command -v fabric-ca-server >/dev/null 2>&1 || die "FABRIC_CRYPTO=ca needs fabric-ca-server on PATH (or FABRIC_CRYPTO=cryptogen)"
      command -v fabric-ca-client >/dev/null 2>&1 || die "FABRIC_CRYPTO=ca needs fabric-ca-client on PATH"
    fi
    start_cas
    local org
    for org in orderer "${PEER_ORGS[@]}"; do make_org_with_ca "${org}"; done
  fi
  make_ccaas_tls
}

# TLS for the chaincode servers: a small CA of our own; the peers trust it via connection.json.
make_ccaas_tls() {
  local dir="${CL_OUT}/ccaas-tls" org host
  mkdir -p "${dir}"
  openssl ecparam -name prime256v1 -genkey -noout -out "${dir}/ca.key" 2>/dev/null
  openssl req -x509 -new -key "${dir}/ca.key" -subj "/O=credledger/CN=credledger chaincode TLS CA" -days 3650 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "${dir}/ca.crt"
  for org in "${PEER_ORGS[@]}"; do
    host="ccaas.$(org_domain "${org}")"
    openssl ecparam -name prime256v1 -genkey -noout -out "${dir}/${org}.key.sec1" 2>/dev/null
    openssl pkcs8 -topk8 -nocrypt -in "${dir}/${org}.key.sec1" -out "${dir}/${org}.key"
    rm -f "${dir}/${org}.key.sec1"
    openssl req -new -key "${dir}/${org}.key" -subj "/O=credledger/CN=${host}" -out "${dir}/${org}.csr"
    printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' "${host}" >"${dir}/${org}.ext"
    openssl x509 -req -in "${dir}/${org}.csr" -CA "${dir}/ca.crt" -CAkey "${dir}/ca.key" -CAcreateserial \
      -days 825 -extfile "${dir}/${org}.ext" -out "${dir}/${org}.crt" 2>/dev/null
    rm -f "${dir}/${org}.csr" "${dir}/${org}.ext"
  done
  chmod 600 "${dir}"/*.key
}
