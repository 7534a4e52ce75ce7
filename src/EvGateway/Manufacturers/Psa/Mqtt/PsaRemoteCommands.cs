using System.Globalization;
using System.Text.Json.Nodes;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// Sends a <see cref="VehicleCommand"/> as a PSA remote service (psa.md §3) and turns the broker's reply into a
/// <see cref="CommandOutcome"/> or a <see cref="GatewayException"/>.
/// </summary>
internal sealed partial class PsaRemoteCommands(
    PsaMqttConnection connection,
    PsaRemoteTokenProvider remoteTokens,
    PsaWakeUpLimiter wakeUps,
    IOptions<PsaOptions> options,
    PsaAccount account,
    TimeProvider time,
    ILogger<PsaRemoteCommands> logger)
{
    /// <summary>
    /// Sends one command and waits for the car's answer. <paramref name="knownDelayedStart"/> is the car's own next delayed
    /// charge start, if a status told it: a charge stop moves the start there.
    /// </summary>
    public async Task<CommandOutcome> SendAsync(Vehicle vehicle, VehicleCommand command, TimeOnly? knownDelayedStart,
        CancellationToken cancellationToken)
    {
        var (service, parameters) = Describe(command, knownDelayedStart ?? options.Value.DefaultDelayedStart);
        if (command.Kind == VehicleCommandKind.WakeUp)
        {
            wakeUps.Acquire(vehicle.Vin);
        }

        var answered = await ExchangeAsync(vehicle, service, parameters, cancellationToken);
        if (answered is { Reply.ReturnCode: "400", Request: var refused })
        {
            // The remote token died before its announced expiry: one new token (and so a new login), one resend.
            LogRemoteTokenRefused(logger, service, vehicle.Vin);
            await remoteTokens.RenewAsync(refused.AccessToken, cancellationToken);
            answered = await ExchangeAsync(vehicle, service, parameters, cancellationToken);
        }

        return Interpret(vehicle.Vin, service, answered);
    }

    private Task<(PsaRemoteRequest Request, PsaRemoteReply Reply)?> ExchangeAsync(Vehicle vehicle, string service,
        JsonObject parameters, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var correlationId = NewCorrelationId(now);
        return connection.ExchangeAsync(service, remoteToken => new PsaRemoteRequest(
            remoteToken,
            account.FullCustomerId,
            correlationId,
            now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            vehicle.Vin,
            (JsonObject)parameters.DeepClone()), options.Value.CommandTimeout, cancellationToken);
    }

    /// <summary>32 hex digits of a new UUID, then the UTC instant as yyyyMMddHHmmssfff (what the apps send).</summary>
    internal static string NewCorrelationId(DateTimeOffset now) =>
        $"{Guid.NewGuid():N}{now.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}";

    internal static (string Service, JsonObject Parameters) Describe(VehicleCommand command, TimeOnly delayedStart) => command.Kind switch
    {
        VehicleCommandKind.WakeUp => ("/VehCharge/state", new JsonObject { ["action"] = "state" }),
        VehicleCommandKind.ChargeStart => ("/VehCharge", Charge("immediate", delayedStart)),
        // PSA has no "stop": charging stops by moving the start to a later hour.
        VehicleCommandKind.ChargeStop => ("/VehCharge", Charge("delayed", delayedStart)),
        VehicleCommandKind.SetDelayedChargeStart => ("/VehCharge", Charge("delayed",
            command.At ?? throw GatewayException.Validation("A delayed charge start needs a time of day (At)."))),
        VehicleCommandKind.ClimateStart => ("/ThermalPrecond", Preconditioning("activate")),
        VehicleCommandKind.ClimateStop => ("/ThermalPrecond", Preconditioning("deactivate")),
        VehicleCommandKind.Lock => ("/Doors", new JsonObject { ["action"] = "lock" }),
        VehicleCommandKind.Unlock => ("/Doors", new JsonObject { ["action"] = "unlock" }),
        VehicleCommandKind.Horn => ("/Horn", new JsonObject { ["nb_horn"] = command.Count ?? 2, ["action"] = "activate" }),
        VehicleCommandKind.Lights => ("/Lights", new JsonObject { ["action"] = "activate", ["duration"] = command.Count ?? 10 }),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.Kind, null),
    };

    private static JsonObject Charge(string type, TimeOnly at) => new()
    {
        ["program"] = new JsonObject { ["hour"] = at.Hour, ["minute"] = at.Minute },
        ["type"] = type,
    };

    // The service wants its four program slots present; empty ones are sent switched off, as the apps do.
    private static JsonObject Preconditioning(string asap)
    {
        var programs = new JsonObject();
        for (var slot = 1; slot <= 4; slot++)
        {
            programs[$"program{slot}"] = new JsonObject
            {
                ["day"] = new JsonArray(0, 0, 0, 0, 0, 0, 0),
                ["hour"] = 34,
                ["minute"] = 7,
                ["on"] = 0,
            };
        }

        return new JsonObject { ["asap"] = asap, ["programs"] = programs };
    }

    private static CommandOutcome Interpret(string vin, string service, (PsaRemoteRequest Request, PsaRemoteReply Reply)? answered)
    {
        if (answered is not { } exchange)
        {
            throw GatewayException.Asleep(vin, $"no answer to {service} in time; the car may be asleep or out of coverage");
        }

        var (request, reply) = exchange;

        if (reply.ProcessCode == "900")
        {
            throw GatewayException.Asleep(vin, "the car is asleep (process_code 900)");
        }

        return reply.ReturnCode switch
        {
            "0" => new CommandOutcome(true, reply.ProcessCode == "901" ? "delivered to the car" : "accepted", request.CorrelationId),
            "300" => throw GatewayException.Asleep(vin, "the car did not answer (return_code 300)"),
            "422" => throw GatewayException.PrivacyMode(vin),
            "400" => throw GatewayException.InvalidCredentials(PsaProvider.MakerName,
                "the broker refused a freshly refreshed remote-command token"),
            _ => throw GatewayException.Unavailable(PsaProvider.MakerName,
                $"the remote service {service} failed (return_code {reply.ReturnCode ?? "none"})"),
        };
    }

    [LoggerMessage(LogLevel.Information, "PSA broker refused the remote token for {Service} on {Vin}; refreshing it and resending once")]
    private static partial void LogRemoteTokenRefused(ILogger logger, string service, string vin);
}

/// <summary>At most 6 wake-ups per car in 20 minutes (psa.md §3): each one drains the car's 12 V battery.</summary>
internal sealed class PsaWakeUpLimiter(TimeProvider time)
{
    public const int MaxWakeUps = 6;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(20);

    private readonly Dictionary<string, Queue<DateTimeOffset>> recent = new(StringComparer.OrdinalIgnoreCase);
    private readonly object gate = new();

    public void Acquire(string vin)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (!recent.TryGetValue(vin, out var wakeUps))
            {
                recent[vin] = wakeUps = new Queue<DateTimeOffset>();
            }

            while (wakeUps.Count > 0 && wakeUps.Peek() <= now - Window)
            {
                wakeUps.Dequeue();
            }

            if (wakeUps.Count >= MaxWakeUps)
            {
                var retryAfter = wakeUps.Peek() + Window - now;
                throw new GatewayException(ErrorCodes.WakeUpLimit, 429,
                    $"The car {vin} was woken {MaxWakeUps} times in the last {Window.TotalMinutes:0} minutes; wait before waking it again.",
                    retryAfter);
            }

            wakeUps.Enqueue(now);
        }
    }
}
