/**
 * The part of the WebAssembly JS API the wasm backend uses, typed here: the project compiles
 * against ES2023 without DOM types, and Node's types do not declare it.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
/** An opaque compiled module. */
export interface WasmModule {
  readonly __wasmModule?: never;
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
export type WasmImports = Record<string, Record<string, unknown>>;

interface WasmApi {
  Module: {
    new (bytes: ArrayBufferView | ArrayBuffer): WasmModule;
    imports(module: WasmModule): { module: string; name: string; kind: string }[];
  };
  Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
  compile(bytes: ArrayBufferView | ArrayBuffer): Promise<WasmModule>;
  validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
  instantiate(module: WasmModule, imports: WasmImports): Promise<WasmInstance>;
}

/** The host's WebAssembly object (every browser and Node have one). */
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
