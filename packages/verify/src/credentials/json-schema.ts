/**
 * A credential type as a JSON Schema (draft 2020-12), for the `credentialSchema` every SD-JWT credential
 * names (`{ id: <base>/schemas/<type>, type: JsonSchema }`, W3C VC JSON Schema): what a wallet or another
 * verifier can check a credential's subject against without credledger's code. It says what the subject
 * check (`checkSubject`) says as far as JSON Schema can: types, lengths, patterns, enumerations, list
 * bounds, required fields and fields that apply only for some value of another. The text rules beyond a
 * pattern (one script per name, look-alike letters, NFC) and the 統一編號 checksum are named in the
 * field's description, not enforced: a schema validator passing a subject is necessary, not sufficient.
 * It describes the credential as issued, with every claim: a presentation that discloses some claims of
 * an SD-JWT VC lacks the others by design.
 * @see https://www.w3.org/TR/vc-json-schema/
 */
import { fieldRule } from './field-rules.js';
import type { CredentialTypeDefinition, FieldDefinition, ItemSpec } from './types/definition.js';

export type JsonSchema = Readonly<Record<string, unknown>>;

const JSON_SCHEMA_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** The JSON Schema of credentials of `type`, identified by `id` (its `credentialSchema` URL). */
export function credentialJsonSchema(type: CredentialTypeDefinition, id: string): JsonSchema {
  const conditional = type.fields.filter((field) => field.when !== undefined);
  return {
    $schema: JSON_SCHEMA_2020_12,
    $id: id,
    title: `${type.title.en} (${type.title['zh-TW']})`,
    type: 'object',
    required: ['type', 'credentialSubject'],
    properties: {
      type: { type: 'array', contains: { const: type.name } },
      credentialSubject: {
        type: 'object',
        required: type.fields.filter((field) => field.required && field.when === undefined).map((field) => field.name),
        properties: {
          // The holder, when the credential names one (a DID).
          id: { type: 'string' },
          ...Object.fromEntries(type.fields.map((field) => [field.name, fieldSchema(field)])),
        },
        additionalProperties: false,
        ...(conditional.length === 0
          ? {}
          : {
              allOf: conditional.map((field) => {
                const when = field.when ?? { field: '', in: [] };
                return {
                  if: { required: [when.field], properties: { [when.field]: { enum: [...when.in] } } },
                  then: field.required ? { required: [field.name] } : {},
                  else: { not: { required: [field.name] } },
                };
              }),
            }),
      },
    },
  };
}

function fieldSchema(field: FieldDefinition): JsonSchema {
  // The rule in words, as the subject check's errors and the CSV template say it.
  const described = { title: `${field.label.en} (${field.label['zh-TW']})`, description: fieldRule(field).en };
  if (field.type === 'list')
    return {
      ...described,
      type: 'array',
      items: itemSchema(field.items),
      maxItems: field.maxItems,
      ...(field.minItems === undefined ? {} : { minItems: field.minItems }),
      ...(field.unique === true ? { uniqueItems: true } : {}),
    };
  return { ...described, ...itemSchema(field) };
}

function itemSchema(spec: ItemSpec): JsonSchema {
  switch (spec.type) {
    case 'string':
      return {
        type: 'string',
        maxLength: spec.maxLength,
        ...(spec.minLength === undefined ? {} : { minLength: spec.minLength }),
        ...(spec.pattern === undefined ? {} : { pattern: `^(?:${spec.pattern})$` }),
      };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'ubn':
      // The checksum is the description's to say (fieldRule).
      return { type: 'string', pattern: '^[0-9]{8}$' };
    case 'integer':
      return {
        type: 'integer',
        ...(spec.min === undefined ? {} : { minimum: spec.min }),
        ...(spec.max === undefined ? {} : { maximum: spec.max }),
      };
    case 'enum':
      return { type: 'string', enum: spec.values.map((value) => value.value) };
  }
}
