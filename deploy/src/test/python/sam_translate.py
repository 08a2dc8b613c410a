"""Translates template.yaml with the AWS SAM translator into the CloudFormation that `sam deploy` would create,
offline: `python3 deploy/src/test/python/sam_translate.py template.yaml out.json`.

The translator wants a packaged template, so local CodeUri/ContentUri paths become placeholder S3 locations (what
`sam package` puts there); AWS managed policies are not looked up (no AWS account is reached). It fails, with the
translator's message, on anything SAM itself would refuse.
"""
import json
import os
import sys

from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse


def packaged(template):
    """The template as `sam package` would leave it: artefacts in S3."""
    functions = template.get("Globals", {}).get("Function", {})
    if isinstance(functions.get("CodeUri"), str):
        functions["CodeUri"] = "s3://packaged/" + functions["CodeUri"]
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str):
                properties[key] = "s3://packaged/" + properties[key]
    return template


def main(source, target):
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(source, encoding="utf-8") as f:
        template = packaged(yaml_parse(f.read()))
    translated = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
        sam_template=template, parameter_values={"AWS::Region": os.environ["AWS_DEFAULT_REGION"]})
    with open(target, "w", encoding="utf-8") as f:
        json.dump(translated, f, indent=1, default=str)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: sam_translate.py TEMPLATE OUT.json")
    main(sys.argv[1], sys.argv[2])
