"""Pushes N small distinct images and their cosign signatures to a local registry over the
registry HTTP API (monolithic blob uploads, manifest PUTs), for bench/signatures.sh. The
signatures are made by `openssl dgst -sha256 -sign` over cosign's simple-signing payload;
every tenth image is left unsigned and every twentieth gets a signature over another digest,
so that the report has findings to count.
  python3 bench/signatures.py HOST:PORT N KEY.pem OUT.list"""
import hashlib, io, json, subprocess, sys, tarfile, urllib.request

host, n, key, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
base = "http://" + host


def request(method, url, data=None, ctype=None):
    r = urllib.request.Request(url, data=data, method=method)
    if ctype:
        r.add_header("Content-Type", ctype)
    with urllib.request.urlopen(r) as resp:
        return resp.headers


def blob(repo, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    loc = request("POST", f"{base}/v2/{repo}/blobs/uploads/")["Location"]
    loc = loc if loc.startswith("http") else base + loc
    request("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + digest, data, "application/octet-stream")
    return {"digest": digest, "size": len(data)}


def manifest(repo, ref, config, layers):
    body = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": config, "layers": layers}, separators=(",", ":")).encode()
    request("PUT", f"{base}/v2/{repo}/manifests/{ref}", body, "application/vnd.oci.image.manifest.v1+json")
    return "sha256:" + hashlib.sha256(body).hexdigest()


def sign(payload):
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=payload, capture_output=True,
                          check=True).stdout


import base64
refs = []
for i in range(n):
    repo = f"bench/app-{i}"
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w", format=tarfile.USTAR_FORMAT) as t:
        content = f"image {i}\n".encode()
        info = tarfile.TarInfo("etc/bench-image")
        info.size = len(content)
        t.addfile(info, io.BytesIO(content))
    layer_bytes = tar.getvalue()
    layer = dict(mediaType="application/vnd.oci.image.layer.v1.tar", **blob(repo, layer_bytes))
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "10001"},
                      "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}).encode()
    config = dict(mediaType="application/vnd.oci.image.config.v1+json", **blob(repo, cfg))
    digest = manifest(repo, "1", config, [layer])
    refs.append(f"{host}/{repo}:1")
    if i % 10 == 9:
        continue
    signed = digest if i % 20 != 4 else "sha256:" + "0" * 64
    payload = json.dumps({"critical": {"identity": {"docker-reference": f"{host}/{repo}"},
                                       "image": {"docker-manifest-digest": signed},
                                       "type": "cosign container image signature"}, "optional": None},
                         separators=(",", ":")).encode()
    p = dict(mediaType="application/vnd.dev.cosign.simplesigning.v1+json", **blob(repo, payload),
             annotations={"dev.cosignproject.cosign/signature": base64.b64encode(sign(payload)).decode()})
    scfg = json.dumps({"architecture": "", "os": "", "config": {},
                       "rootfs": {"type": "layers", "diff_ids": [p["digest"]]}}).encode()
    sconfig = dict(mediaType="application/vnd.oci.image.config.v1+json", **blob(repo, scfg))
    manifest(repo, "sha256-" + digest[7:] + ".sig", sconfig, [p])
with open(out, "w") as f:
    f.write("\n".join(refs) + "\n")
