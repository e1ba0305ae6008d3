#!/usr/bin/env python3
"""Loads generated objects into a running kube-apiserver for bench/cluster.sh (stdlib only).

    python3 bench/load_cluster.py --server URL --token TOKEN --ca CA.crt --objects 50000

Objects come from bench/generate.py's generators (same mix as the manifest corpora, fixed seed),
adjusted to what a v1.20 API server serves (CronJob at batch/v1beta1). Namespaces are created
first; objects are POSTed by a pool of threads. Prints the count per kind and the failures.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import ssl
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402

PATHS = {
    "Namespace": ("/api/v1", "namespaces", False),
    "Pod": ("/api/v1", "pods", True),
    "Service": ("/api/v1", "services", True),
    "ConfigMap": ("/api/v1", "configmaps", True),
    "Secret": ("/api/v1", "secrets", True),
    "ServiceAccount": ("/api/v1", "serviceaccounts", True),
    "Deployment": ("/apis/apps/v1", "deployments", True),
    "StatefulSet": ("/apis/apps/v1", "statefulsets", True),
    "DaemonSet": ("/apis/apps/v1", "daemonsets", True),
    "Job": ("/apis/batch/v1", "jobs", True),
    "CronJob": ("/apis/batch/v1beta1", "cronjobs", True),
    "Ingress": ("/apis/networking.k8s.io/v1", "ingresses", True),
    "NetworkPolicy": ("/apis/networking.k8s.io/v1", "networkpolicies", True),
    "Role": ("/apis/rbac.authorization.k8s.io/v1", "roles", True),
    "RoleBinding": ("/apis/rbac.authorization.k8s.io/v1", "rolebindings", True),
    "ClusterRole": ("/apis/rbac.authorization.k8s.io/v1", "clusterroles", False),
    "ClusterRoleBinding": ("/apis/rbac.authorization.k8s.io/v1", "clusterrolebindings", False),
}


def fit(doc):
    """What the manifest generator writes but a real API server rejects: requests above limits
    (422), and more ClusterIP Services than start.sh's /24 service range holds (made headless)."""
    if doc["kind"] == "Service":
        doc["spec"]["type"] = "ClusterIP"
        doc["spec"]["clusterIP"] = "None"
        for field in ("loadBalancerSourceRanges", "loadBalancerIP", "externalTrafficPolicy", "externalIPs"):
            doc["spec"].pop(field, None)
        for port in doc["spec"].get("ports", []):
            port.pop("nodePort", None)

    def walk(node):
        if isinstance(node, dict):
            res = node.get("resources")
            if isinstance(res, dict) and isinstance(res.get("requests"), dict) and isinstance(res.get("limits"), dict):
                for k in res["requests"]:
                    if k in res["limits"]:
                        res["requests"][k] = res["limits"][k]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--ca", required=True)
    p.add_argument("--objects", type=int, default=50_000)
    p.add_argument("--namespaces", type=int, default=100)
    p.add_argument("--threads", type=int, default=16)
    a = p.parse_args()
    ctx = ssl.create_default_context(cafile=a.ca)
    g = generate.Gen(50_000, a.namespaces)
    weights = {k: w for k, w in generate.MIXED_WEIGHTS.items() if k != "Namespace"}
    kinds = generate.kind_sequence(g, {"weights": weights, "objects": a.objects - len(g.namespaces)})

    def post(doc):
        kind = doc["kind"]
        fit(doc)
        base, plural, namespaced = PATHS[kind]
        if kind == "CronJob":
            doc["apiVersion"] = "batch/v1beta1"
        ns = doc.get("metadata", {}).get("namespace", "")
        if not namespaced:
            doc.get("metadata", {}).pop("namespace", None)
        url = a.server + base + (f"/namespaces/{ns}" if namespaced else "") + "/" + plural
        req = urllib.request.Request(url, data=json.dumps(doc).encode(), method="POST", headers={
            "Authorization": "Bearer " + a.token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
                r.read()
            return kind, None
        except urllib.error.HTTPError as e:
            return kind, f"{e.code} {json.loads(e.read() or b'{}').get('message', '')}"[:200]

    ok = collections.Counter()
    failed = collections.Counter()
    samples = {}
    for i, ns in enumerate(g.namespaces):
        kind, err = post(generate.KINDS["Namespace"](g, ns, i))
        (failed if err else ok)[kind] += 1
    docs = []
    for i, k in enumerate(kinds):
        ns = g.namespaces[i % len(g.namespaces)]
        docs.extend(generate.make_objects(g, k, ns, i))
    with concurrent.futures.ThreadPoolExecutor(a.threads) as pool:
        for kind, err in pool.map(post, docs, chunksize=64):
            if err:
                failed[kind] += 1
                samples.setdefault(kind, err)
            else:
                ok[kind] += 1
    print(f"loaded {sum(ok.values())} objects: " + ", ".join(f"{k} {n}" for k, n in sorted(ok.items())))
    if failed:
        print(f"failed {sum(failed.values())}: " + "; ".join(f"{k} {n} ({samples.get(k, '')})"
                                                            for k, n in sorted(failed.items())))


if __name__ == "__main__":
    main()
