import { z } from 'zod';

/** How the zod schemas that validate requests become parts of the document: bodies, answers, parameters. */
type Io = 'input' | 'output';
const schema = (s: z.ZodType, io: Io = 'input') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' });
  return rest;
};
export const json = (s: z.ZodType, io: Io = 'input') => ({
  content: { 'application/json': { schema: schema(s, io) } },
});
export const answer = (description: string, s: z.ZodType) => ({ description, ...json(s, 'output') });

/** The parameters of one location (query or path), from the object schema that validates them. */
export function parameters(s: z.ZodObject, where: 'query' | 'path') {
  const { properties = {}, required = [] } = z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' }) as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    ...(description ? { description } : {}),
    schema: property,
  }));
}

/** An operation that needs an API key (the `apiKey` security scheme of the document). */
export const secured = [{ apiKey: [] }];
