#!/usr/bin/env python3
"""Deterministic corpus generator for the kapas benchmark (python3 standard library only).

    python3 bench/generate.py                       # every profile into bench/corpus/
    python3 bench/generate.py mixed-10k --out DIR   # one profile

Each profile writes DIR/<profile>/ with the manifests and DIR/<profile>.json that records the
profile, the seed, the number of files and the number of objects per kind (what a scanner should
read: a List counts as its items). The same profile and seed always give byte-identical files.

Objects are realistic and mixed: workloads (Deployment, StatefulSet, DaemonSet, CronJob, Job,
Pod) with sidecars, init containers, probes, volumes and a spread of secure and insecure
settings (privileged, host namespaces, hostPath, added capabilities, root, :latest images,
missing limits); each StatefulSet with the headless Service its spec.serviceName names; Services, ConfigMaps (with multi-line data), Secrets, Ingresses, RBAC
(Role, RoleBinding, ClusterRole, ClusterRoleBinding, with wildcards and secret access now and
then), NetworkPolicies, Namespaces (with and without Pod Security labels) and ServiceAccounts.
Files are multi-document YAML, JSON (single objects or a kind: List) and YAML Lists.

Adding a kind: write `def make_<kind>(g, ns, i) -> dict`, register it in KINDS, and give it a
weight in a profile. Adding a profile: add an entry to PROFILES (kind weights or exact counts,
file layout).
"""

import argparse
import json
import os
import random
import re
import shutil
import sys

# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------

# Relative weights of the kinds in a "mixed" corpus, roughly what a real repository of
# application manifests holds.
MIXED_WEIGHTS = {
    "Deployment": 16, "StatefulSet": 4, "DaemonSet": 3, "CronJob": 4, "Job": 3, "Pod": 6,
    "Service": 14, "ConfigMap": 12, "Secret": 3, "Ingress": 5, "Role": 5, "RoleBinding": 5,
    "ClusterRole": 1, "ClusterRoleBinding": 1, "NetworkPolicy": 6, "Namespace": 3,
    "ServiceAccount": 9,
}

PROFILES = {
    # Issue 1: 10,000 mixed objects in 1,000 files (the 2 s wall-time target).
    "mixed-10k": {
        "seed": 10_000, "objects": 10_000, "files": 1_000, "namespaces": 40,
        "weights": MIXED_WEIGHTS,
        # Share of files written as JSON, as a YAML `kind: List`; the rest multi-document YAML.
        "json_share": 0.10, "list_share": 0.08,
    },
    # Issue 1: 100,000 mixed objects in one multi-document YAML file (the 512 MiB RSS target).
    "single-100k": {
        "seed": 100_000, "objects": 100_000, "files": 1, "namespaces": 200,
        "weights": MIXED_WEIGHTS, "json_share": 0.0, "list_share": 0.0,
    },
    # The same objects as one YAML List, as `kubectl get -A -o yaml > all.yaml` writes them
    # (items first, then kind): one document of 100 MB, read a part at a time.
    "list-100k": {
        "seed": 100_000, "objects": 100_000, "files": 1, "namespaces": 200,
        "weights": MIXED_WEIGHTS, "json_share": 0.0, "list_share": 0.0, "kubectl_list": True,
    },
    # Issue 3: a cluster-sized inventory for cross-object rules (selectors, RBAC graph).
    "cluster-31k": {
        "seed": 31_000, "files": 1_000, "namespaces": 1_000,
        "counts": {"Namespace": 1_000, "Pod": 20_000, "NetworkPolicy": 5_000, "RoleBinding": 5_000},
        "json_share": 0.05, "list_share": 0.05,
    },
}

# --------------------------------------------------------------------------------------------
# A small YAML emitter: block style, keys in insertion order, strings quoted when YAML 1.1 or
# 1.2 could read them as anything but a string.
# --------------------------------------------------------------------------------------------

_SAFE = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./=-]*$")
_RESERVED = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
}


def _scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if _SAFE.match(s) and s.lower() not in _RESERVED:
        return s
    return json.dumps(s)  # a JSON string is a valid YAML double-quoted scalar


def _emit(v, indent, out):
    pad = " " * indent
    if isinstance(v, dict):
        if not v:
            out[-1] += " {}"
            return
        for k, val in v.items():
            key = _scalar(k)
            if isinstance(val, dict) and val:
                out.append(f"{pad}{key}:")
                _emit(val, indent + 2, out)
            elif isinstance(val, list) and val:
                out.append(f"{pad}{key}:")
                _emit(val, indent, out)  # "compact" sequences, as kubectl writes them
            elif isinstance(val, str) and "\n" in val:
                out.append(f"{pad}{key}: |")
                for line in val.rstrip("\n").split("\n"):
                    out.append(f"{pad}  {line}" if line else "")
            elif isinstance(val, (dict, list)):
                out.append(f"{pad}{key}: {'{}' if isinstance(val, dict) else '[]'}")
            else:
                out.append(f"{pad}{key}: {_scalar(val)}")
    elif isinstance(v, list):
        for item in v:
            if isinstance(item, dict) and item:
                sub = []
                _emit(item, indent + 2, sub)
                sub[0] = f"{pad}- " + sub[0][indent + 2:]
                out.extend(sub)
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                _emit(item, indent + 2, out)
            else:
                out.append(f"{pad}- {_scalar(item) if not isinstance(item, (dict, list)) else '{}'}")
    else:
        out.append(pad + _scalar(v))


def to_yaml(doc):
    out = []
    _emit(doc, 0, out)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Object factories. `g` is the generator state (random source, names); `ns` a namespace name.
# --------------------------------------------------------------------------------------------

APPS = ["api", "web", "worker", "cart", "checkout", "auth", "search", "billing", "catalog",
        "gateway", "notifier", "reports", "ledger", "inventory", "media", "events", "metrics",
        "profile", "session", "pricing"]
TEAMS = ["payments", "platform", "growth", "data", "identity", "storefront", "ops"]
REGISTRIES = ["registry.example.com", "ghcr.io/example", "docker.io/library", "quay.io/example"]
IMAGES = ["nginx", "redis", "postgres", "envoy", "python", "node", "golang", "busybox", "alpine",
          "fluent-bit", "prometheus", "grafana"]


class Gen:
    def __init__(self, seed, namespaces):
        self.r = random.Random(seed)
        self.namespaces = [f"{t}-{i:03d}" if namespaces > len(TEAMS) else t
                           for i, t in ((i, TEAMS[i % len(TEAMS)]) for i in range(namespaces))]
        self.serial = 0

    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def name(self, suffix=""):
        self.serial += 1
        base = f"{self.pick(APPS)}-{self.serial:06d}"
        return f"{base}-{suffix}" if suffix else base


def meta(g, name, ns, app=None, extra_annotations=None):
    m = {"name": name}
    if ns is not None:
        m["namespace"] = ns
    labels = {"app.kubernetes.io/name": app or name, "app": name.split("-")[0],
              "app.kubernetes.io/part-of": g.pick(TEAMS)}
    if g.chance(0.6):
        labels["app.kubernetes.io/version"] = f"{g.r.randint(1, 9)}.{g.r.randint(0, 30)}.{g.r.randint(0, 9)}"
    m["labels"] = labels
    ann = dict(extra_annotations or {})
    if g.chance(0.3):
        ann["owner"] = f"{g.pick(TEAMS)}@example.com"
    if g.chance(0.02):
        ann["kapas.dev/ignore"] = "cluster.privileged-container: needs host access for the CNI"
    if ann:
        m["annotations"] = ann
    return m


def image(g):
    reg, img = g.pick(REGISTRIES), g.pick(IMAGES)
    r = g.r.random()
    if r < 0.08:
        return f"{img}"  # no registry, no tag
    if r < 0.18:
        return f"{reg}/{img}:latest"
    if r < 0.30:
        return f"{reg}/{img}@sha256:{g.r.getrandbits(256):064x}"
    return f"{reg}/{img}:{g.r.randint(1, 20)}.{g.r.randint(0, 9)}.{g.r.randint(0, 9)}"


def container_security(g, insecure):
    if not insecure:
        sc = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
              "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}}
        if g.chance(0.5):
            sc["runAsUser"] = g.r.randint(1000, 65000)
        if g.chance(0.4):
            sc["seccompProfile"] = {"type": "RuntimeDefault"}
        return sc
    sc = {}
    r = g.r.random()
    if r < 0.35:
        sc["privileged"] = True
    if g.chance(0.3):
        sc["allowPrivilegeEscalation"] = True
    if g.chance(0.3):
        sc["capabilities"] = {"add": [g.pick(["SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_PTRACE"])]}
    if g.chance(0.25):
        sc["runAsUser"] = 0
    if g.chance(0.1):
        sc["seccompProfile"] = {"type": "Unconfined"}
    if g.chance(0.1):
        sc["procMount"] = "Unmasked"
    return sc or None


def container(g, name, insecure, main=True):
    c = {"name": name, "image": image(g)}
    if g.chance(0.2):
        c["imagePullPolicy"] = g.pick(["Always", "IfNotPresent"])
    if main:
        port = g.pick([80, 443, 8080, 8443, 9090, 5432, 6379, 3000])
        c["ports"] = [{"name": "http", "containerPort": port, "protocol": "TCP"}]
        if insecure and g.chance(0.1):
            c["ports"][0]["hostPort"] = port
        env = [{"name": "LOG_LEVEL", "value": g.pick(["info", "debug", "warn"])},
               {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]
        if g.chance(0.3):
            env.append({"name": "DB_PASSWORD",
                        "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}})
        if insecure and g.chance(0.1):
            env.append({"name": "AWS_SECRET_ACCESS_KEY", "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
        c["env"] = env
        if g.chance(0.7):
            probe = {"httpGet": {"path": "/healthz", "port": port},
                     "initialDelaySeconds": g.r.randint(1, 30), "periodSeconds": 10}
            c["readinessProbe"] = probe
            if g.chance(0.6):
                c["livenessProbe"] = dict(probe, failureThreshold=3)
    if not insecure or g.chance(0.4):
        res = {"requests": {"cpu": f"{g.pick([50, 100, 250, 500])}m",
                            "memory": f"{g.pick([64, 128, 256, 512])}Mi"}}
        if not insecure or g.chance(0.5):
            res["limits"] = {"cpu": f"{g.pick([500, 1000, 2000])}m",
                             "memory": f"{g.pick([256, 512, 1024])}Mi"}
        c["resources"] = res
    c["volumeMounts"] = [{"name": "config", "mountPath": "/etc/app", "readOnly": True}]
    if main and g.chance(0.3):
        c["volumeMounts"].append({"name": "data", "mountPath": "/var/lib/app"})
    sc = container_security(g, insecure)
    if sc:
        c["securityContext"] = sc
    if not main and g.chance(0.5):
        c["args"] = ["--config=/etc/app/config.yaml", f"--port={g.r.randint(9000, 9999)}"]
    return c


def pod_spec(g, app, insecure, restart=None):
    containers = [container(g, app, insecure)]
    if g.chance(0.3):
        containers.append(container(g, g.pick(["envoy", "fluent-bit", "oauth-proxy"]), insecure and g.chance(0.5), main=False))
    spec = {}
    if g.chance(0.6):
        spec["serviceAccountName"] = app
    if insecure:
        if g.chance(0.15):
            spec["hostNetwork"] = True
        if g.chance(0.08):
            spec["hostPID"] = True
        if g.chance(0.05):
            spec["hostIPC"] = True
        if g.chance(0.2):
            spec["automountServiceAccountToken"] = True
    else:
        spec["automountServiceAccountToken"] = False
        spec["securityContext"] = {"runAsNonRoot": True, "fsGroup": 2000,
                                   "seccompProfile": {"type": "RuntimeDefault"}}
    if g.chance(0.25):
        spec["initContainers"] = [container(g, "init-migrate", insecure and g.chance(0.5), main=False)]
    spec["containers"] = containers
    volumes = [{"name": "config", "configMap": {"name": f"{app}-config"}}]
    if insecure and g.chance(0.3):
        volumes.append({"name": "data", "hostPath": {"path": g.pick(["/var/run/docker.sock", "/", "/etc", "/var/log"]),
                                                     "type": ""}})
    else:
        volumes.append({"name": "data", "emptyDir": {}})
    spec["volumes"] = volumes
    if restart:
        spec["restartPolicy"] = restart
    if g.chance(0.2):
        spec["nodeSelector"] = {"kubernetes.io/os": "linux"}
    if g.chance(0.15):
        spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": app, "effect": "NoSchedule"}]
    return spec


def template(g, app, insecure, restart=None):
    return {"metadata": {"labels": {"app.kubernetes.io/name": app, "app": app.split("-")[0]}},
            "spec": pod_spec(g, app, insecure, restart)}


def insecure_p(g):
    return g.chance(0.35)


def make_deployment(g, ns, i):
    name = g.name()
    app = name
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(g, name, ns, app),
            "spec": {"replicas": g.r.randint(1, 6),
                     "selector": {"matchLabels": {"app.kubernetes.io/name": app}},
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
                     "template": template(g, app, insecure_p(g))}}


def make_statefulset(g, ns, i):
    name = g.name("db")
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta(g, name, ns, name),
            "spec": {"serviceName": name, "replicas": 3,
                     "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                     "template": template(g, name, insecure_p(g)),
                     "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                               "spec": {"accessModes": ["ReadWriteOnce"],
                                                        "resources": {"requests": {"storage": "10Gi"}}}}]}}


def make_governing_service(g, sts):
    """The headless Service a StatefulSet names in spec.serviceName, as a real one has: it gives
    each pod its stable DNS name (db-0.db.ns.svc), selects the pods and has no cluster IP."""
    m = sts["metadata"]
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {k: m[k] for k in ("name", "namespace", "labels") if k in m},
            "spec": {"clusterIP": "None", "selector": dict(sts["spec"]["selector"]["matchLabels"]),
                     "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}}


def make_objects(g, kind, ns, i):
    """The objects one entry of the kind sequence stands for: a StatefulSet comes with its
    headless Service (kind_sequence counts that Service among the Services)."""
    obj = KINDS[kind](g, ns, i)
    if kind == "StatefulSet":
        return [make_governing_service(g, obj), obj]
    return [obj]


def make_daemonset(g, ns, i):
    name = g.name("agent")
    # Node agents are the classic privileged workloads.
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta(g, name, ns, name),
            "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                     "template": template(g, name, g.chance(0.6))}}


def make_cronjob(g, ns, i):
    name = g.name("cron")
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta(g, name, ns, name),
            "spec": {"schedule": f"{g.r.randint(0, 59)} {g.r.randint(0, 23)} * * *",
                     "concurrencyPolicy": "Forbid",
                     "jobTemplate": {"spec": {"backoffLimit": 2,
                                              "template": template(g, name, insecure_p(g), "OnFailure")}}}}


def make_job(g, ns, i):
    name = g.name("job")
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(g, name, ns, name),
            "spec": {"backoffLimit": 4, "ttlSecondsAfterFinished": 3600,
                     "template": template(g, name, insecure_p(g), "Never")}}


def make_pod(g, ns, i):
    name = g.name("pod")
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta(g, name, ns, name),
            "spec": pod_spec(g, name, insecure_p(g))}


def make_service(g, ns, i):
    name = g.name("svc")
    kind = g.pick(["ClusterIP"] * 6 + ["NodePort", "LoadBalancer"])
    spec = {"type": kind, "selector": {"app.kubernetes.io/name": name},
            "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}
    if kind == "NodePort":
        spec["ports"][0]["nodePort"] = g.r.randint(30000, 32767)
    if kind == "LoadBalancer" and g.chance(0.5):
        spec["loadBalancerSourceRanges"] = ["0.0.0.0/0"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(g, name, ns, name), "spec": spec}


def make_configmap(g, ns, i):
    name = g.name("config")
    data = {"LOG_FORMAT": "json", "FEATURE_FLAGS": "a,b,c", "TIMEOUT": str(g.r.randint(1, 60))}
    if g.chance(0.5):
        data["config.yaml"] = (
            "server:\n"
            f"  port: {g.r.randint(8000, 9000)}\n"
            "  # upstreams\n"
            f"  upstream: http://{g.pick(APPS)}.{ns}.svc.cluster.local\n"
            "logging:\n  level: info\n")
    if g.chance(0.1):
        data["DATABASE_URL"] = "postgres://app:hunter2@db:5432/app"
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(g, name, ns), "data": data}


def make_secret(g, ns, i):
    name = g.name("secret")
    return {"apiVersion": "v1", "kind": "Secret", "metadata": meta(g, name, ns), "type": "Opaque",
            "data": {"username": "YWRtaW4=", "password": "cGFzc3dvcmQxMjM="}}


def make_ingress(g, ns, i):
    name = g.name("ing")
    host = f"{name}.example.com"
    spec = {"ingressClassName": "nginx",
            "rules": [{"host": host, "http": {"paths": [
                {"path": "/", "pathType": "Prefix",
                 "backend": {"service": {"name": name, "port": {"number": 80}}}}]}}]}
    if g.chance(0.6):
        spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": meta(g, name, ns, extra_annotations={"nginx.ingress.kubernetes.io/ssl-redirect": "true"}),
            "spec": spec}


def rbac_rules(g):
    if g.chance(0.15):
        return [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]
    rules = [{"apiGroups": [""], "resources": ["configmaps", "pods"], "verbs": ["get", "list", "watch"]}]
    if g.chance(0.2):
        rules.append({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]})
    if g.chance(0.1):
        rules.append({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]})
    return rules


def make_role(g, ns, i):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": meta(g, g.name("role"), ns), "rules": rbac_rules(g)}


def make_clusterrole(g, ns, i):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": meta(g, g.name("clusterrole"), None), "rules": rbac_rules(g)}


def subjects(g, ns):
    if g.chance(0.05):
        return [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "system:authenticated"}]
    return [{"kind": "ServiceAccount", "name": g.pick(APPS), "namespace": ns}]


def make_rolebinding(g, ns, i):
    ref = ({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"}
           if g.chance(0.05) else
           {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"{g.pick(APPS)}-role"})
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": meta(g, g.name("binding"), ns), "roleRef": ref, "subjects": subjects(g, ns)}


def make_clusterrolebinding(g, ns, i):
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
           "name": "cluster-admin" if g.chance(0.2) else "view"}
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": meta(g, g.name("clusterbinding"), None), "roleRef": ref, "subjects": subjects(g, ns)}


def make_networkpolicy(g, ns, i):
    name = g.name("netpol")
    if g.chance(0.3):
        spec = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}  # default deny
    else:
        spec = {"podSelector": {"matchLabels": {"app": g.pick(APPS)}},
                "policyTypes": ["Ingress"],
                "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}}},
                                      {"podSelector": {"matchLabels": {"role": "frontend"}}}],
                             "ports": [{"protocol": "TCP", "port": 8080}]}]}
        if g.chance(0.1):
            spec["ingress"] = [{}]  # allow all
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": meta(g, name, ns), "spec": spec}


def make_namespace(g, ns, i):
    m = meta(g, g.namespaces[i % len(g.namespaces)] if i < len(g.namespaces) else g.name("ns"), None)
    r = g.r.random()
    if r < 0.4:
        m["labels"]["pod-security.kubernetes.io/enforce"] = g.pick(["baseline", "restricted"])
    elif r < 0.5:
        m["labels"]["pod-security.kubernetes.io/enforce"] = "privileged"
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": m}


def make_serviceaccount(g, ns, i):
    sa = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(g, g.name("sa"), ns)}
    if g.chance(0.5):
        sa["automountServiceAccountToken"] = False
    return sa


KINDS = {
    "Deployment": make_deployment, "StatefulSet": make_statefulset, "DaemonSet": make_daemonset,
    "CronJob": make_cronjob, "Job": make_job, "Pod": make_pod, "Service": make_service,
    "ConfigMap": make_configmap, "Secret": make_secret, "Ingress": make_ingress,
    "Role": make_role, "RoleBinding": make_rolebinding, "ClusterRole": make_clusterrole,
    "ClusterRoleBinding": make_clusterrolebinding, "NetworkPolicy": make_networkpolicy,
    "Namespace": make_namespace, "ServiceAccount": make_serviceaccount,
}

# --------------------------------------------------------------------------------------------
# Corpus layout
# --------------------------------------------------------------------------------------------


def kind_sequence(g, profile):
    """The kinds of all objects, in a deterministic shuffled order."""
    if "counts" in profile:
        kinds = [k for k, n in profile["counts"].items() for _ in range(n)]
    else:
        weights = profile["weights"]
        total_w = sum(weights.values())
        total = profile["objects"]
        counts = {k: total * w // total_w for k, w in weights.items()}
        # Hand the rounding remainder to the heaviest kinds so the total is exact.
        for k in sorted(weights, key=lambda k: -weights[k])[:total - sum(counts.values())]:
            counts[k] += 1
        # Each StatefulSet brings its headless Service (make_objects): one Service entry fewer
        # for each, so that the total stays exact.
        if "StatefulSet" in counts and "Service" in counts:
            counts["Service"] -= min(counts["Service"], counts["StatefulSet"])
        kinds = [k for k, n in counts.items() for _ in range(n)]
    g.r.shuffle(kinds)
    return kinds


def generate(name, profile, out_dir):
    g = Gen(profile["seed"], profile["namespaces"])
    kinds = kind_sequence(g, profile)
    files = profile["files"]
    target = os.path.join(out_dir, name)
    if os.path.exists(target):
        shutil.rmtree(target)
    os.makedirs(target)
    per_kind = {}
    ns_counter = 0
    base, extra = divmod(len(kinds), files)
    pos = 0
    for f in range(files):
        n = base + (1 if f < extra else 0)
        chunk = kinds[pos:pos + n]
        pos += n
        ns = g.namespaces[f % len(g.namespaces)]
        docs = []
        for k in chunk:
            if k == "Namespace":
                made = [KINDS[k](g, ns, ns_counter)]
                ns_counter += 1
            else:
                made = make_objects(g, k, ns, pos)
            for d in made:
                docs.append(d)
                per_kind[d["kind"]] = per_kind.get(d["kind"], 0) + 1
        r = g.r.random() if files > 1 else 1.0
        subdir = os.path.join(target, ns) if files > 1 else target
        os.makedirs(subdir, exist_ok=True)
        stem = os.path.join(subdir, f"{f:05d}-{chunk[0].lower() if chunk else 'empty'}")
        if profile.get("kubectl_list"):
            write(stem + ".yaml", to_yaml({"apiVersion": "v1", "items": docs, "kind": "List",
                                           "metadata": {"resourceVersion": ""}}))
        elif r < profile["json_share"]:
            if len(docs) == 1 or g.chance(0.5):
                body = {"apiVersion": "v1", "kind": "List", "metadata": {}, "items": docs}
            else:
                # One object per JSON file would change the file count; keep a List but typed
                # lists only hold one kind, so a mixed file is always a generic List.
                body = {"apiVersion": "v1", "kind": "List", "items": docs}
            write(stem + ".json", json.dumps(body, indent=2) + "\n")
        elif r < profile["json_share"] + profile["list_share"]:
            write(stem + ".yaml", to_yaml({"apiVersion": "v1", "kind": "List", "items": docs}))
        else:
            parts = []
            if g.chance(0.3):
                parts.append(f"# {name}: generated by bench/generate.py, file {f}\n")
            for i, d in enumerate(docs):
                parts.append(("---\n" if i or g.chance(0.5) else "") + to_yaml(d))
            write(stem + (".yml" if g.chance(0.1) else ".yaml"), "".join(parts))
    summary = {"profile": name, "seed": profile["seed"], "files": files,
               "objects": sum(per_kind.values()), "kinds": dict(sorted(per_kind.items()))}
    # Beside the directory, not in it: a scan of the directory must not read it.
    write(target + ".json", json.dumps(summary, indent=2) + "\n")
    return summary


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("profiles", nargs="*", help=f"profiles to generate (default: all): {', '.join(PROFILES)}")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus"),
                   help="output directory (default: bench/corpus)")
    args = p.parse_args(argv)
    names = args.profiles or list(PROFILES)
    for n in names:
        if n not in PROFILES:
            p.error(f"unknown profile {n!r}; known: {', '.join(PROFILES)}")
    for n in names:
        s = generate(n, PROFILES[n], args.out)
        print(f"{n}: {s['objects']} objects in {s['files']} files -> {os.path.join(args.out, n)}")


if __name__ == "__main__":
    main(sys.argv[1:])
