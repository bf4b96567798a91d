#!/usr/bin/python3
"""Independent Confluent-wire-format client for the Java serde's interop test.

Uses Debian's python3-confluent-kafka 1.7.0 legacy Avro API (CachedSchemaRegistryClient and
MessageSerializer) with python3-avro, against any Confluent-compatible registry URL.

  avro_interop.py encode URL TOPIC SCHEMA_FILE RECORD_JSON
      Registers SCHEMA_FILE under TOPIC-value, encodes RECORD_JSON, prints
      {"schema_id": N, "hex": "..."}.
  avro_interop.py decode URL HEX
      Decodes Confluent-framed bytes given as hex, prints {"schema_id": N, "record": {...}}.

JSON conventions for values JSON cannot carry: bytes are {"$bytes": "<hex>"}; in RECORD_JSON a
timestamp-millis value is {"$timestamp_millis": N} (python-avro validates it as a datetime); in
decoded output timestamps are plain epoch milliseconds.
"""
import datetime
import json
import struct
import sys

from avro.schema import parse as parse_schema
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def from_json(value):
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return bytes.fromhex(value["$bytes"])
        if set(value) == {"$timestamp_millis"}:
            return EPOCH + datetime.timedelta(milliseconds=value["$timestamp_millis"])
        return {key: from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_json(item) for item in value]
    return value


def to_json(value):
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, datetime.datetime):
        return (value - EPOCH) // datetime.timedelta(milliseconds=1)
    return value


def serializer(url):
    return MessageSerializer(CachedSchemaRegistryClient({"url": url}))


def encode(url, topic, schema_file, record_json):
    with open(schema_file, encoding="utf-8") as f:
        schema = parse_schema(f.read())
    record = from_json(json.loads(record_json))
    framed = serializer(url).encode_record_with_schema(topic, schema, record, is_key=False)
    return {"schema_id": struct.unpack(">bI", framed[:5])[1], "hex": framed.hex()}


def decode(url, hex_bytes):
    framed = bytes.fromhex(hex_bytes)
    record = serializer(url).decode_message(framed)
    return {"schema_id": struct.unpack(">bI", framed[:5])[1], "record": to_json(record)}


def main(argv):
    if len(argv) == 6 and argv[1] == "encode":
        result = encode(*argv[2:])
    elif len(argv) == 4 and argv[1] == "decode":
        result = decode(*argv[2:])
    else:
        sys.stderr.write(__doc__)
        return 2
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
