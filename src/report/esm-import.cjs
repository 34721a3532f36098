// Loads an ES module from CommonJS code: `import()` here is real, even in a tslab cell (TOOLCHAIN.md).
module.exports = (specifier) => import(specifier);
