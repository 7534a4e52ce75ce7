using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Options;

namespace EvGateway.Vehicles;

/// <summary>
/// The one door every remote command goes through, whichever surface asked (REST or legacy): the read-only and
/// unlock opt-ins, the car's capabilities (checked before any cloud call), then the maker's adapter. After a
/// command the cached status is dropped so the next read shows its effect. Every command spends the call budget at
/// command priority, whoever sent it, so it never waits behind reads; who asked (a person or not) is kept.
/// </summary>
public sealed class VehicleCommands(VehicleDirectory directory, VehicleStatusCache cache, GatewayMetrics metrics, IOptionsMonitor<GatewayOptions> options,
    TimeProvider time, ILogger<VehicleCommands> logger)
{
    /// <summary>Raised after every command, accepted, refused or failed, whichever surface sent it.</summary>
    public event Action<CommandSent>? Sent;

    public async Task<CommandOutcome> SendAsync(string vin, VehicleCommand command, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await GateAndSendAsync(vin, command, cancellationToken);
            Sent?.Invoke(new CommandSent(vin, command.Kind, outcome.Accepted, outcome.Detail, null, time.GetUtcNow()));
            return outcome;
        }
        catch (GatewayException failure)
        {
            Sent?.Invoke(new CommandSent(vin, command.Kind, false, failure.Message, failure.Code, time.GetUtcNow()));
            throw;
        }
    }

    private async Task<CommandOutcome> GateAndSendAsync(string vin, VehicleCommand command, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.AllowRemoteCommands)
        {
            throw GatewayException.Forbidden("Remote commands are turned off on this gateway (Gateway:AllowRemoteCommands=false).");
        }

        if (command.Kind == VehicleCommandKind.Unlock && !settings.AllowRemoteUnlock)
        {
            throw GatewayException.Forbidden("Unlocking remotely needs its own opt-in (Gateway:AllowRemoteUnlock=true).");
        }

        var entry = await directory.FindAsync(vin, cancellationToken);
        var needed = RequiredCapability(command.Kind);
        if (!entry.Vehicle.Has(needed))
        {
            throw GatewayException.CapabilityNotSupported(vin, Describe(command.Kind));
        }

        var sentAt = time.GetUtcNow();
        CommandOutcome outcome;
        using var intent = CallIntent.Enter(new CallIntent(CallPriority.Command, CallIntent.Current.ByPerson));
        try
        {
            outcome = await entry.Provider.SendCommandAsync(entry.Vehicle, command, cancellationToken);
        }
        catch (GatewayException failure)
        {
            metrics.Commands.WithLabels(entry.Provider.Maker, command.Kind.ToString(), failure.Code).Inc();
            throw;
        }

        var verdict = outcome.Accepted ? "accepted" : "refused";
        metrics.Commands.WithLabels(entry.Provider.Maker, command.Kind.ToString(), verdict).Inc();
        logger.LogInformation("Command {Command} for {Vin}: {Outcome}", command.Kind, vin, verdict);
        cache.Invalidate(vin, sentAt);
        return outcome;
    }

    public static VehicleCapability RequiredCapability(VehicleCommandKind kind) => kind switch
    {
        VehicleCommandKind.WakeUp => VehicleCapability.WakeUp,
        VehicleCommandKind.ChargeStart => VehicleCapability.ChargeStart,
        VehicleCommandKind.ChargeStop => VehicleCapability.ChargeStop,
        VehicleCommandKind.SetDelayedChargeStart => VehicleCapability.ChargeSchedule,
        VehicleCommandKind.ClimateStart or VehicleCommandKind.ClimateStop => VehicleCapability.ClimateControl,
        VehicleCommandKind.Lock or VehicleCommandKind.Unlock => VehicleCapability.Lock,
        VehicleCommandKind.Horn or VehicleCommandKind.Lights => VehicleCapability.HornLights,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Describe(VehicleCommandKind kind) => kind switch
    {
        VehicleCommandKind.WakeUp => "waking up remotely",
        VehicleCommandKind.ChargeStart => "starting a charge remotely",
        VehicleCommandKind.ChargeStop => "stopping a charge remotely",
        VehicleCommandKind.SetDelayedChargeStart => "a delayed charge start",
        VehicleCommandKind.ClimateStart or VehicleCommandKind.ClimateStop => "remote climate control",
        VehicleCommandKind.Lock or VehicleCommandKind.Unlock => "remote locking",
        _ => "remote horn and lights",
    };
}
