#!/usr/bin/env bash
# deploy/nginx/kpo.conf in front of a real kpo-server (docs/deploy.md): the
# example file itself, with only its ports, certificate (a self-signed one
# made here) and upstream port swapped. Checks TLS + HSTS, the redirect to
# HTTPS, X-Forwarded-For (the client's address reaches kpo's audit log, a
# forged header does not), the body caps (1 MB everywhere, 25 MB for
# attachments) and that /metrics is not public.
#   nginx_test.sh KPO_SERVER KPO_INDEX KPO_ADMIN SOURCE_DIR
server_bin=$1 index_bin=$2 admin_bin=$3 src=$4
command -v nginx >/dev/null || { echo "nginx ontbreekt (scripts/deps.sh installeert het)"; exit 1; }
source "$(dirname "$0")/lib.sh"

kpo_port=$(free_port) http_port=$(free_port) tls_port=$(free_port)

# A small corpus, indexed; one account for a failed login.
new_content "$src"
item proef Proefitem
"$index_bin" --content "$work/content" --data "$work/data" >/dev/null
echo "een goed wachtwoord" | "$admin_bin" --data "$work/data" user add proef@example.nl \
  --name Proef --role member >/dev/null 2>&1

# kpo-server trusts nginx (loopback) for X-Forwarded-For, from its config file.
cat >"$work/kpo.conf" <<CONF
data = $work/data
port = $kpo_port
trusted_proxies = 127.0.0.1
static = $src/static
CONF
"$server_bin" --config "$work/kpo.conf" >"$work/kpo.log" 2>&1 &
pids+=($!)

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=kpo.example.nl \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
sed -e "s#server 127.0.0.1:8080;#server 127.0.0.1:$kpo_port;#" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" -e "/listen \[::\]:80;/d" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$tls_port ssl http2;#" -e "/listen \[::\]:443/d" \
    -e "s#/etc/ssl/kpo/#$work/#" \
    "$src/deploy/nginx/kpo.conf" >"$work/site.conf"
grep -q "$kpo_port" "$work/site.conf" && grep -q "$tls_port" "$work/site.conf" ||
  fail "de voorbeeldconfiguratie heeft andere poorten of adressen dan de test verwacht"
{
  [ "$(id -u)" = 0 ] && echo "user root;"
  cat <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log $work/nginx-access.log;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  include $work/site.conf;
}
CONF
} >"$work/nginx.conf"
nginx -t -q -c "$work/nginx.conf" -e "$work/nginx-error.log" || fail "nginx -t: $(cat "$work/nginx-error.log")"
nginx -c "$work/nginx.conf" -e "$work/nginx-error.log"

wait_up "$kpo_port"
tls() { curl -sk --resolve "kpo.example.nl:$tls_port:127.0.0.1" "$@"; }
url="https://kpo.example.nl:$tls_port"

# TLS, HSTS, the upstream answering.
headers=$(tls -D - -o /dev/null "$url/api/health")
grep -q "^HTTP/2 200" <<<"$headers" || fail "health via nginx: $headers"
grep -qi "^strict-transport-security: max-age=63072000" <<<"$headers" || fail "geen HSTS: $headers"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/api/health")" = 301 ] ||
  fail "HTTP wordt niet naar HTTPS omgeleid"

# X-Forwarded-For: the client comes from 127.0.0.5 and claims 203.0.113.9;
# kpo's audit log must name 127.0.0.5.
code=$(tls --interface 127.0.0.5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -H 'X-Forwarded-For: 203.0.113.9' \
  --data '{"email":"proef@example.nl","password":"fout wachtwoord!"}' "$url/api/auth/login")
[ "$code" = 401 ] || fail "verkeerd wachtwoord via nginx gaf $code"
audit=$("$admin_bin" --data "$work/data" audit 2>/dev/null)
grep "login_failed" <<<"$audit" | grep -q "127.0.0.5" || fail "auditlog noemt 127.0.0.5 niet: $audit"
! grep -q "203.0.113.9" <<<"$audit" || fail "vervalst X-Forwarded-For in het auditlog: $audit"

# Body caps: 2 MB is refused by nginx on an ordinary route, passed on to kpo
# on the attachment route; 26 MB is refused there too.
head -c $((2 * 1024 * 1024)) /dev/zero >"$work/2mb"
head -c $((26 * 1024 * 1024)) /dev/zero >"$work/26mb"
body=$(tls -o - -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary @"$work/2mb" \
  "$url/api/auth/login")
[ "$(tail -n1 <<<"$body")" = 413 ] && grep -q "<center>nginx</center>" <<<"$body" ||
  fail "2 MB op een gewone route niet door nginx geweigerd: $(tail -n1 <<<"$body")"
body=$(tls -o - -w '\n%{http_code}' -H 'Content-Type: application/octet-stream' \
  --data-binary @"$work/2mb" "$url/api/documents/proef/attachments")
! grep -q "<center>nginx</center>" <<<"$body" || fail "2 MB bijlage door nginx geweigerd"
body=$(tls -o - -w '\n%{http_code}' -H 'Content-Type: application/octet-stream' \
  --data-binary @"$work/26mb" "$url/api/documents/proef/attachments")
[ "$(tail -n1 <<<"$body")" = 413 ] && grep -q "<center>nginx</center>" <<<"$body" ||
  fail "26 MB bijlage niet door nginx geweigerd: $(tail -n1 <<<"$body")"

# Metrics stay private.
[ "$(tls -o /dev/null -w '%{http_code}' "$url/metrics")" = 404 ] || fail "/metrics is publiek"
echo "nginx voor kpo-server: TLS, HSTS, X-Forwarded-For, bodylimieten en /metrics in orde"
