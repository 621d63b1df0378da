// knet's built-in programs that pods run instead of container images (agnhost, pause and
// demo servers), and the mapping from image reference + command/args to what to exec.
export {
  agnhostBinDir, builtinMain, containerPath, defaultBusyboxAppletDir, effectiveArgv,
  imageProgram, installBusyboxApplets, parseImageReference,
} from './image-program.ts';
export type { ImageProgram, ImageProgramOptions, ImageReference } from './image-program.ts';
