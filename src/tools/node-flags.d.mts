export declare function serverNodeFlags(version: string): string[];
