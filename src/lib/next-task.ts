// Yields to the event loop: the next macrotask, so rendering and input run between slices of main-thread work.
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
