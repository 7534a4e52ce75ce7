using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.TestSupport;

internal static class RenaultCallCounts
{
    /// <summary>Every Kamereon call the simulated cloud received (Gigya's accounts.* methods left out): what the quota counts.</summary>
    public static int KamereonCalls(this RenaultCloud cloud) =>
        cloud.CallCounts().Where(call => !call.Key.StartsWith("accounts.", StringComparison.Ordinal)).Sum(call => call.Value);
}
