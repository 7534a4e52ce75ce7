using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EvGateway.Simulator.Psa;

internal sealed record OutgoingMessage(string Topic, JsonObject Payload);

/// <summary>
/// The cloud side of remote commands: checks a command envelope the way the real service does, makes the car obey,
/// and says what to publish back (the reply on the "to" topic, then a car event). The order of the checks matters:
/// the cloud rejects a bad remote token before it even tries the car; an unresponsive car never answers at all.
/// </summary>
internal sealed partial class PsaRemoteServices(PsaRemoteAccess remoteAccess, Func<string, PsaVehicle?> vehicleByVin, TimeProvider time)
{
    public const string WakeUp = "/VehCharge/state";
    public const string Charge = "/VehCharge";
    public const string Preconditioning = "/ThermalPrecond";
    public const string Doors = "/Doors";
    public const string Lights = "/Lights";
    public const string Horn = "/Horn";

    public IReadOnlyList<OutgoingMessage> Handle(PsaPublishedCommand command)
    {
        var customerId = PsaTopics.CustomerIdOf(command.Topic);
        if (customerId != PsaCloud.DemoCustomerId
            || command.Envelope is not { ValueKind: JsonValueKind.Object } envelope
            || Text(envelope, "correlation_id") is not { } correlationId)
        {
            // Nobody to answer: no such account, or nothing a client could correlate a reply with.
            return [];
        }

        var vin = Text(envelope, "vin") ?? "";
        var replyTopic = PsaTopics.Reply(customerId, command.Service);
        List<OutgoingMessage> Reply(PsaAck ack) => [new(replyTopic, PsaDocuments.Ack(correlationId, vin, ack, time.GetUtcNow()))];

        if (!remoteAccess.IsValidRemoteToken(Text(envelope, "access_token")))
        {
            return Reply(PsaAck.RemoteTokenInvalid);
        }

        if (EnvelopeProblem(envelope, customerId, correlationId) is { } problem)
        {
            return Reply(PsaAck.Invalid(problem));
        }

        if (vehicleByVin(vin) is not { } vehicle)
        {
            return Reply(PsaAck.Invalid("vin is not on this account"));
        }

        if (vehicle.IsUnresponsive)
        {
            return [];
        }

        if (vehicle.IsPrivate)
        {
            return Reply(PsaAck.PrivacyMode);
        }

        if (vehicle.IsAsleep && command.Service != WakeUp)
        {
            return Reply(PsaAck.CarAsleep);
        }

        if (Obey(vehicle, command.Service, envelope.GetProperty("req_parameters")) is { } refusal)
        {
            return Reply(PsaAck.Invalid(refusal));
        }

        // A car that obeyed has just talked to the cloud, so what the cloud serves about it is fresh again.
        vehicle.Obeyed(command.Service);
        vehicle.Car.ReportNow();
        var replies = Reply(PsaAck.Accepted);
        var view = vehicle.View();
        vehicle.MarkAnnounced(view);
        replies.Add(new OutgoingMessage(PsaTopics.Event(vehicle.Vin), PsaDocuments.ChargeEvent(view, time.GetUtcNow())));
        return replies;
    }

    private static string? EnvelopeProblem(JsonElement envelope, string customerId, string correlationId)
    {
        if (!IsCorrelationId(correlationId))
        {
            return "correlation_id must be 32 hex characters followed by the UTC time yyyyMMddHHmmssfff";
        }

        if (Text(envelope, "customer_id") != customerId)
        {
            return "customer_id does not match the topic";
        }

        if (!DateTimeOffset.TryParse(Text(envelope, "req_date"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            return "req_date must be an ISO-8601 UTC time";
        }

        return envelope.TryGetProperty("req_parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            ? null
            : "req_parameters must be an object";
    }

    private static string? Obey(PsaVehicle vehicle, string service, JsonElement parameters)
    {
        switch (service)
        {
            case WakeUp:
                vehicle.SetAsleep(false);
                return null;
            case Charge:
                return ObeyCharge(vehicle, parameters);
            case Preconditioning:
                return Text(parameters, "asap") switch
                {
                    "activate" => Do(() => vehicle.Car.SetClimate(true)),
                    "deactivate" => Do(() => vehicle.Car.SetClimate(false)),
                    _ => "asap must be activate or deactivate",
                };
            case Doors:
                return Text(parameters, "action") switch
                {
                    "lock" => Do(() => vehicle.Car.SetLocked(true)),
                    "unlock" => Do(() => vehicle.Car.SetLocked(false)),
                    _ => "action must be lock or unlock",
                };
            case Lights:
            case Horn:
                return Text(parameters, "action") == "activate" ? null : "action must be activate";
            default:
                return $"unknown service {service}";
        }
    }

    private static string? ObeyCharge(PsaVehicle vehicle, JsonElement parameters)
    {
        switch (Text(parameters, "type"))
        {
            case "immediate":
                vehicle.ChargeNow();
                return null;
            case "delayed":
                var program = parameters.TryGetProperty("program", out var value) ? value : default;
                if (Number(program, "hour") is not { } hour || Number(program, "minute") is not { } minute
                    || hour is < 0 or > 23 || minute is < 0 or > 59)
                {
                    return "a delayed charge needs program.hour 0..23 and program.minute 0..59";
                }

                vehicle.ChargeLater(new TimeOnly(hour, minute));
                return null;
            default:
                return "type must be immediate or delayed";
        }
    }

    private static string? Do(Action action)
    {
        action();
        return null;
    }

    private static bool IsCorrelationId(string value)
    {
        var match = CorrelationIdPattern().Match(value);
        return match.Success && DateTime.TryParseExact(match.Groups["time"].Value, "yyyyMMddHHmmssfff",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    [GeneratedRegex("^[0-9a-fA-F]{32}(?<time>[0-9]{17})$")]
    private static partial Regex CorrelationIdPattern();
}
