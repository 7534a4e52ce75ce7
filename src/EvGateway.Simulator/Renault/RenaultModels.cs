namespace EvGateway.Simulator.Renault;

/// <summary>
/// The Kamereon operations a model may or may not have. A capability names one operation (and, for actions whose
/// meaning depends on their <c>action</c> attribute, one variant of it) so the per-model table can say that a Zoe
/// phase 2 starts through charging-start but stops through KCM pause-resume.
/// </summary>
internal static class KamereonCapability
{
    public const string BatteryStatus = "battery-status";
    public const string CockpitV1 = "cockpit/v1";
    public const string CockpitV2 = "cockpit/v2";
    public const string HvacStatus = "hvac-status";
    public const string ChargeMode = "charge-mode";
    public const string ChargingSettings = "charging-settings";
    public const string Location = "location";
    public const string LockStatus = "lock-status";
    public const string SetChargeMode = "actions/charge-mode";
    public const string ChargeScheduleV1 = "actions/charge-schedule/v1";
    public const string ChargeScheduleV2 = "actions/charge-schedule/v2";
    public const string ChargingStartStart = "actions/charging-start/start";
    public const string ChargingStartStop = "actions/charging-start/stop";
    public const string HvacStart = "actions/hvac-start";
    public const string HornLights = "actions/horn-lights";
    public const string RefreshLocation = "actions/refresh-location";
    public const string KcmPause = "kcm/charge/pause-resume/pause";
    public const string KcmResume = "kcm/charge/pause-resume/resume";
    public const string KcmChargeStart = "kcm/charge/start";
    public const string KcmChargeSchedule = "kcm/charge/schedule";
    public const string KcmEvSettings = "kcm/ev/settings";
    public const string KcmSetEvSettings = "kcm/ev/settings/write";
    public const string KcmSocLevels = "kcm/ev/soc-levels";
    public const string KcmSetSocLevels = "kcm/ev/soc-levels/write";
    public const string Charges = "charges";
    public const string ChargeHistory = "charge-history";
}

/// <summary>How the real cloud answers an operation a model does not have.</summary>
internal enum MissingOperationAnswer
{
    /// <summary>404 err.func.wired.notFound.</summary>
    NotFound,

    /// <summary>403 err.func.wired.forbidden.</summary>
    Forbidden,

    /// <summary>501 err.tech.501.</summary>
    NotSupported,
}

/// <summary>What the cloud exposes for one model code (renault.md §4).</summary>
internal sealed class RenaultModel
{
    private readonly HashSet<string> capabilities;
    private readonly Dictionary<string, MissingOperationAnswer> missingAnswers;

    public RenaultModel(string code, IEnumerable<string> capabilities, bool reportsPowerInWatts = false,
        IReadOnlyDictionary<string, MissingOperationAnswer>? missingAnswers = null)
    {
        Code = code;
        ReportsPowerInWatts = reportsPowerInWatts;
        this.capabilities = [.. capabilities];
        this.missingAnswers = missingAnswers is null ? [] : new(missingAnswers);
    }

    public string Code { get; }

    /// <summary>The Zoe phase 1 reports chargingInstantaneousPower in W where the other models use kW.</summary>
    public bool ReportsPowerInWatts { get; }

    public bool Supports(string capability) => capabilities.Contains(capability);

    // Reads the model lacks are "not found"; commands it lacks are "forbidden", as the real cloud answers them.
    public MissingOperationAnswer AnswerWhenMissing(string capability) =>
        missingAnswers.TryGetValue(capability, out var answer) ? answer
        : IsCommand(capability) ? MissingOperationAnswer.Forbidden
        : MissingOperationAnswer.NotFound;

    private static bool IsCommand(string capability) =>
        capability.StartsWith("actions/", StringComparison.Ordinal)
        || capability.StartsWith("kcm/charge/", StringComparison.Ordinal)
        || capability.EndsWith("/write", StringComparison.Ordinal);
}

/// <summary>The per-model capability table of renault.md §4.</summary>
internal static class RenaultModels
{
    private static readonly string[] CommonElectricReads =
        [KamereonCapability.BatteryStatus, KamereonCapability.HvacStatus, KamereonCapability.Location];

    private static readonly string[] Climate = [KamereonCapability.HvacStart];

    // The Zoes keep a log of their charges; the KCM cars (Megane E-Tech, Renault 5) answer it "not found".
    private static readonly string[] ChargeLog = [KamereonCapability.Charges, KamereonCapability.ChargeHistory];

    private static readonly string[] LocatedCar = [KamereonCapability.Location, KamereonCapability.RefreshLocation];

    private static readonly Dictionary<string, RenaultModel> Known = new List<RenaultModel>
    {
        new RenaultModel("X101VE",
            [KamereonCapability.BatteryStatus, KamereonCapability.CockpitV1, KamereonCapability.HvacStatus,
             KamereonCapability.ChargeMode, KamereonCapability.ChargingSettings, KamereonCapability.SetChargeMode,
             KamereonCapability.ChargeScheduleV1, KamereonCapability.ChargingStartStart, KamereonCapability.ChargingStartStop,
             .. Climate, KamereonCapability.HornLights, .. ChargeLog],
            reportsPowerInWatts: true,
            missingAnswers: new Dictionary<string, MissingOperationAnswer>
            {
                // The Zoe phase 1 TCU cannot report these at all: the recorded cloud answers "not supported".
                [KamereonCapability.Location] = MissingOperationAnswer.NotSupported,
                [KamereonCapability.LockStatus] = MissingOperationAnswer.NotSupported,
            }),
        new RenaultModel("X102VE",
            [.. CommonElectricReads, KamereonCapability.CockpitV2, KamereonCapability.LockStatus, KamereonCapability.RefreshLocation,
             KamereonCapability.ChargeScheduleV2, KamereonCapability.ChargingStartStart, KamereonCapability.KcmPause,
             KamereonCapability.KcmResume, .. Climate, .. ChargeLog]),
        new RenaultModel("XBG1VE",
            [.. CommonElectricReads, KamereonCapability.CockpitV1, KamereonCapability.RefreshLocation,
             KamereonCapability.KcmPause, KamereonCapability.KcmResume, .. Climate]),
        new RenaultModel("XCB1VE",
            [.. CommonElectricReads, KamereonCapability.CockpitV2, KamereonCapability.LockStatus, KamereonCapability.RefreshLocation,
             KamereonCapability.ChargeMode, KamereonCapability.ChargingSettings, KamereonCapability.SetChargeMode,
             KamereonCapability.KcmChargeStart, KamereonCapability.KcmChargeSchedule, KamereonCapability.KcmSocLevels,
             KamereonCapability.KcmSetSocLevels, .. Climate, KamereonCapability.HornLights]),
        RenaultFiveFamily("R5E1VE"),
        RenaultFiveFamily("A5E1AE"),
        RenaultFiveFamily("A4E1VE"),
        new RenaultModel("XDD1VE",
            [.. CommonElectricReads, KamereonCapability.CockpitV2, KamereonCapability.RefreshLocation,
             KamereonCapability.ChargeMode, KamereonCapability.ChargingSettings, KamereonCapability.SetChargeMode,
             KamereonCapability.KcmEvSettings, KamereonCapability.KcmSetEvSettings, .. Climate]),
        new RenaultModel("X071VE",
            [.. CommonElectricReads, KamereonCapability.CockpitV1, KamereonCapability.RefreshLocation,
             KamereonCapability.ChargingStartStart, KamereonCapability.ChargingStartStop, .. Climate]),
        new RenaultModel("XJA1VP", [KamereonCapability.CockpitV2, .. LocatedCar]),
        new RenaultModel("XJB1SU", [KamereonCapability.CockpitV2, KamereonCapability.BatteryStatus, .. LocatedCar]),
        new RenaultModel("XHN1SU", [KamereonCapability.CockpitV2, .. LocatedCar]),
        new RenaultModel("DU31SU", [KamereonCapability.CockpitV2, .. LocatedCar]),
    }.ToDictionary(model => model.Code, StringComparer.Ordinal);

    // Renault 5, Alpine A290 and Renault 4 share one platform and one KCM-only charge API.
    private static RenaultModel RenaultFiveFamily(string code) => new(code,
        [.. CommonElectricReads, KamereonCapability.CockpitV2, KamereonCapability.LockStatus, KamereonCapability.RefreshLocation,
         KamereonCapability.KcmEvSettings, KamereonCapability.KcmSetEvSettings, KamereonCapability.KcmSocLevels,
         KamereonCapability.KcmSetSocLevels, .. Climate, KamereonCapability.HornLights]);

    /// <summary>
    /// The profile of a model code the table does not know: the generic car-adapter reads and charging-start, so a
    /// gateway has to learn from the 404/403 answers which of the other endpoints are missing.
    /// </summary>
    public static RenaultModel For(string code) =>
        Known.TryGetValue(code, out var model) ? model
        : new RenaultModel(code,
            [.. CommonElectricReads, KamereonCapability.CockpitV1, KamereonCapability.ChargingStartStart,
             KamereonCapability.ChargingStartStop]);
}
