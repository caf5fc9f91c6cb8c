// Node module hooks that make the packages named in HIDE_PACKAGES (comma-separated) unresolvable,
// as on a machine where they were never installed. Registered with --import (see hide-packages).
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

const hidden = new Set((process.env['HIDE_PACKAGES'] ?? '').split(',').filter(Boolean));

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: NextResolve,
): Promise<{ url: string }> {
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0]!;
  if (hidden.has(name)) {
    const error = new Error(
      `Cannot find package '${name}' imported from ${context.parentURL ?? 'the command line'}`,
    ) as NodeJS.ErrnoException;
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
