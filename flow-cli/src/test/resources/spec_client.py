"""The API guide's example client (../shared/specs/api-element-prompt-sse.txt), as written there, called once.

Usage: spec_client.py URL KEY PROMPT. It prints the answer's text; pieces it cannot parse are reported on stderr
("Invalid JSON: ..."), as the guide's code does.
"""
import json
import sys
import traceback

import requests


def fetch_llm_response(url, key, chat_history) -> str:
    headers = {
        "Content-Type": "application/json",
        "X-API-Key": key,
    }
    data = {"message": chat_history}

    response = requests.post(url, headers=headers, json=data, stream=True)
    if response.status_code != 200:
        print(f"Error: Failed to fetch response from server. Status code: {response.status_code}")
        return

    output = ""
    for chunk in response.iter_content(chunk_size=None):
        try:
            responses = [
                ('{"choices": ' + f"{x}")
                for x in str(chunk.decode("utf-8")).split('{"choices":')[1:]
            ]
            for response in responses:
                response_json = json.loads(response.strip())
                print(response_json["choices"][0]["message"]["content"], flush=True, end="")
                output += response_json["choices"][0]["message"]["content"]
        except json.JSONDecodeError:
            print(traceback.format_exc(), file=sys.stderr)
            print("Invalid JSON:", chunk.decode("utf-8"), file=sys.stderr)

    return output


if __name__ == "__main__":
    fetch_llm_response(sys.argv[1], sys.argv[2], [{"role": "user", "content": sys.argv[3]}])
