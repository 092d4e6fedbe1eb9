/** Injection tokens of the platform module. */
export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const PLATFORM_LOGGER = Symbol('PLATFORM_LOGGER');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
