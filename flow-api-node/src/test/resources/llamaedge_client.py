"""A LlamaEdge client written from llamaedge-api.txt, with Python requests: embeddings, retrieve and models.

Usage: llamaedge_client.py BASE_URL KEY QUESTION
BASE_URL is the server's root (the spec's base URL is BASE_URL/v1). Prints one JSON object with what each call gave,
for the test to check.
"""
import json
import sys

import requests

BASE_URL, KEY, QUESTION = sys.argv[1], sys.argv[2], sys.argv[3]
V1 = BASE_URL + "/v1"
HEADERS = {"accept": "application/json", "Content-Type": "application/json", "Authorization": "Bearer " + KEY}


def post(path, body=None, headers=HEADERS):
    r = requests.post(V1 + path, headers=headers, data=None if body is None else json.dumps(body), timeout=60)
    try:
        return {"status": r.status_code, "body": r.json()}
    except ValueError:
        return {"status": r.status_code, "text": r.text}


out = {}
embeddings = post("/embeddings", {"model": "all-MiniLM-L6-v2-q",
                                  "input": ["Paris is the capital of France.", "Flows are drawn in an editor."]})
out["embeddings"] = {"status": embeddings["status"],
                     "object": embeddings["body"].get("object"),
                     "model": embeddings["body"].get("model"),
                     "usage": embeddings["body"].get("usage"),
                     "items": [{"index": d["index"], "object": d["object"], "dims": len(d["embedding"]),
                                "first": d["embedding"][0]} for d in embeddings["body"]["data"]]}

retrieve = post("/retrieve", {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                                           {"role": "user", "content": QUESTION}],
                              "model": "all-MiniLM-L6-v2-q"})
body = retrieve["body"]
# Each source is the passage as a JSON string, as the spec shows it: decode it once more to read the passage.
out["retrieve"] = {"status": retrieve["status"], "limit": body.get("limit"),
                   "score_threshold": body.get("score_threshold"),
                   "points": [{"passage": json.loads(p["source"]), "score": p["score"]} for p in body["points"]]}

out["models"] = post("/models", headers={"Authorization": "Bearer " + KEY})

# Bad input, each refused in OpenAI's error shape.
out["empty_input"] = post("/embeddings", {"model": "m", "input": []})
out["not_strings"] = post("/embeddings", {"model": "m", "input": ["ok", 42]})
out["too_many"] = post("/embeddings", {"model": "m", "input": ["x"] * 300})
out["no_user"] = post("/retrieve", {"messages": [{"role": "system", "content": "Be brief."}], "model": "m"})
out["wrong_key"] = post("/embeddings", {"model": "m", "input": "hi"},
                        headers={"Content-Type": "application/json", "Authorization": "Bearer wrong"})
print(json.dumps(out))
