#!/usr/bin/env python3
"""Holds answers the hub served to its OpenAPI document.

Usage: check-served-answers.py OPENAPI.yaml ANSWERS.json

ANSWERS.json is a list of {"operationId", "status", "contentType", "body"} (body as text). Each answer's
status must be documented for its operation, its content type must be one the document gives for that
status, and a JSON body must validate against the status's schema (JSON Schema 2020-12, as OpenAPI 3.1
uses it). Prints one line per violation and exits 1 when there is any. Runs in the schemathesis virtual
environment that scripts/install-deps.sh makes (PyYAML and jsonschema_rs come with schemathesis).
"""
import json
import sys

import jsonschema_rs
import yaml


def main(document_path, answers_path):
    with open(document_path) as f:
        document = yaml.safe_load(f)
    with open(answers_path) as f:
        answers = json.load(f)
    operations = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            operations[operation["operationId"]] = (method.upper(), path, operation)
    problems = []
    for answer in answers:
        method, path, operation = operations[answer["operationId"]]
        where = f"{answer['operationId']} ({method} {path}) {answer['status']}"
        responses = operation["responses"]
        response = responses.get(str(answer["status"])) or responses.get(f"{str(answer['status'])[0]}XX") or responses.get("default")
        if response is None:
            problems.append(f"{where}: status not documented (documented: {', '.join(sorted(responses))})")
            continue
        if "$ref" in response:
            response = document["components"]["responses"][response["$ref"].split("/")[-1]]
        content = response.get("content")
        media = (answer.get("contentType") or "").split(";")[0].strip()
        if content is None:
            if answer["body"]:
                problems.append(f"{where}: the document gives no body, the hub sent {len(answer['body'])} bytes")
            continue
        if media not in content:
            problems.append(f"{where}: content type {media or '(none)'} is not one of {', '.join(content)}")
            continue
        if media != "application/json":
            continue
        try:
            body = json.loads(answer["body"])
        except ValueError as error:
            problems.append(f"{where}: not JSON: {error}")
            continue
        schema = {"components": document["components"], "allOf": [content[media]["schema"]]}
        for error in jsonschema_rs.Draft202012Validator(schema).iter_errors(body):
            problems.append(f"{where}: at {'/'.join(map(str, error.instance_path)) or '(root)'}: {error.message}")
    for problem in problems:
        print(problem)
    print(f"{len(answers)} answers checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
