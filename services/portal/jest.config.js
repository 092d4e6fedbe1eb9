const base = require('../../libs/testing/jest.base.js')(__dirname);

// oauth4webapi and jose ship only ES modules: compile them for Jest like the shared list does.
module.exports = { ...base, transformIgnorePatterns: ['/node_modules/(?!(oauth4webapi|jose)/)'] };
