import packageJson from '../../package.json';

export const TOOL = { name: 'launch-ready', version: packageJson.version };
