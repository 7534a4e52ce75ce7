using EvGateway.Vehicles;

namespace EvGateway.Charging;

/// <summary>A read-only gateway (Gateway:AllowRemoteCommands=false) takes no setting that would make it send commands later.</summary>
internal static class ReadOnlyGuard
{
    public static void ThrowIfReadOnly(GatewayOptions gateway, string what)
    {
        if (!gateway.AllowRemoteCommands)
        {
            throw GatewayException.Forbidden($"Remote commands are turned off on this gateway (Gateway:AllowRemoteCommands=false), so {what} is too.");
        }
    }
}
