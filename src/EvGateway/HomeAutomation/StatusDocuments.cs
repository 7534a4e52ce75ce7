using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace EvGateway.HomeAutomation;

/// <summary>
/// The status and command documents the live surfaces send, in exactly the REST surface's JSON (same names, same
/// charge-control summary as GET /api/vehicles/{vin}/status), so a reader parses one shape wherever it got it.
/// </summary>
public sealed class StatusDocuments(IOptions<HttpJsonOptions> json, IEnumerable<IChargeControlSummaries> chargeControl)
{
    private readonly JsonSerializerOptions options = json.Value.SerializerOptions;
    private readonly IChargeControlSummaries? summaries = chargeControl.FirstOrDefault();

    /// <summary>The status as the REST status route answers it.</summary>
    public string Status(VehicleStatus status)
    {
        var control = summaries?.For(status.Vin);
        return JsonSerializer.Serialize(control is null ? status : status with { ChargeControl = control }, options);
    }

    /// <summary>The level at which charge control stops the car's charge (100 = none); null when charge control is not part of the gateway.</summary>
    public int? ChargeThreshold(string vin) => summaries is null ? null : summaries.For(vin)?.PercentageThreshold ?? 100;

    /// <summary>A command's outcome, the command named as the REST route names it (charge-start, wake-up).</summary>
    public string Command(CommandSent sent) => JsonSerializer.Serialize(new
    {
        sent.Vin,
        Command = CommandName(sent.Kind),
        sent.Accepted,
        sent.Detail,
        Code = sent.ErrorCode,
        sent.At,
    }, options);

    /// <summary>Any other document (a charge-control view, an account) as the REST surface writes it.</summary>
    public string Document<T>(T value) => JsonSerializer.Serialize(value, options);

    /// <summary>ChargeStart → charge-start: the REST route's name of the command.</summary>
    public static string CommandName(VehicleCommandKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
