// The umbrella module: `import SwiftTenancy` brings the whole public API of every module in, so an
// application needs one import. Libraries should import the modules they use instead.
@_exported import Tenancy
@_exported import TenancyHTTP
@_exported import TenancyMetrics
@_exported import TenancySQLite
