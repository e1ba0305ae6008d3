-- wrk script for bench/serve.sh: POSTs AdmissionReview v1 requests to kapas serve's /validate,
-- alternating a privileged Pod (denied) and a compliant one (allowed), paced to a fixed rate:
-- each connection waits connections/rate seconds between requests (RATE and CONNECTIONS from
-- the environment), into NAMESPACE (default shop). wrk counts any status other than 2xx/3xx as an error.
local rate = tonumber(os.getenv("RATE") or "200")
local connections = tonumber(os.getenv("CONNECTIONS") or "20")
local namespace = os.getenv("NAMESPACE") or "shop"
local privileged = [[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"c","image":"nginx:1.25","securityContext":{"privileged":true}}]}}]]
local compliant = [[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"ok"},"spec":{"automountServiceAccountToken":false,"serviceAccountName":"app","securityContext":{"runAsNonRoot":true,"runAsUser":10001,"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"app","image":"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","securityContext":{"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}},"resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}}}]}}]]
local n = 0
local denied = 0

local function review(object, i)
  return '{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"bench-' .. i ..
    '","kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},' ..
    '"namespace":"' .. namespace .. '","operation":"CREATE","userInfo":{"username":"bench"},"object":' .. object .. ',"dryRun":false}}'
end

request = function()
  n = n + 1
  local body = review((n % 2 == 0) and privileged or compliant, n)
  return wrk.format("POST", "/validate", {["Content-Type"] = "application/json"}, body)
end

delay = function()
  return 1000 * connections / rate
end

response = function(status, headers, body)
  if status == 200 and string.find(body, '"allowed":false', 1, true) then
    denied = denied + 1
  end
end
