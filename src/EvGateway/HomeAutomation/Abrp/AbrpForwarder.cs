using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.HomeAutomation.Abrp;

/// <summary>
/// Sends the live data of the cars that opted in to A Better Route Planner. It follows the status cache, so it never
/// causes a cloud call and never sends more often than the car's status is refreshed; a reading is sent once, only
/// when it is newer than the last one sent and carries a state of charge. A refused or failed send is not retried:
/// the next fresh reading is the retry, and ABRP only wants the newest anyway.
/// </summary>
public sealed partial class AbrpForwarder : BackgroundService
{
    public const string HttpClientName = "Abrp";

    /// <summary>Readings waiting to go out; when ABRP is slow the oldest are dropped, they would be stale by then.</summary>
    private const int QueueCapacity = 32;

    private readonly ConcurrentDictionary<string, AbrpCarState> states = new(StringComparer.OrdinalIgnoreCase);
    private readonly Channel<VehicleStatus> queue = Channel.CreateBounded<VehicleStatus>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private readonly IOptionsMonitor<AbrpOptions> options;
    private readonly AbrpSettings settings;
    private readonly VehicleStatusCache cache;
    private readonly IHttpClientFactory http;
    private readonly TimeProvider time;
    private readonly ILogger<AbrpForwarder> logger;

    public AbrpForwarder(IOptionsMonitor<AbrpOptions> options, AbrpSettings settings, VehicleStatusCache cache, IHttpClientFactory http,
        TimeProvider time, ILogger<AbrpForwarder> logger)
    {
        this.options = options;
        this.settings = settings;
        this.cache = cache;
        this.http = http;
        this.time = time;
        this.logger = logger;
        cache.StatusChanged += OnStatus;
    }

    /// <summary>What was last sent for a car and how it went; null before its first send.</summary>
    public AbrpCarState? StateOf(string vin) => states.GetValueOrDefault(vin);

    public override void Dispose()
    {
        cache.StatusChanged -= OnStatus;
        base.Dispose();
    }

    private void OnStatus(VehicleStatus status)
    {
        if (!status.Stale && settings.For(status.Vin).Enabled)
        {
            queue.Writer.TryWrite(status);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var status in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await ForwardAsync(status, stoppingToken);
                }
                catch (Exception failure) when (failure is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Record(status.Vin, null, $"could not reach ABRP: {failure.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ForwardAsync(VehicleStatus status, CancellationToken cancellationToken)
    {
        var (enabled, token) = settings.For(status.Vin);
        if (!enabled || AbrpTelemetry.From(status) is not { } tlm)
        {
            return;
        }

        var readingTime = AbrpTelemetry.ReadingTime(status);
        if (StateOf(status.Vin) is { LastReadingAt: { } sent } && readingTime <= sent)
        {
            return;
        }

        var apiKey = options.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(apiKey) || string.IsNullOrEmpty(token))
        {
            Record(status.Vin, null, string.IsNullOrEmpty(apiKey)
                ? "Abrp:ApiKey is not set; nothing is sent"
                : "no ABRP user token for this car; nothing is sent");
            return;
        }

        // The key in a header and the user token in the body keep both out of URLs, which end up in logs.
        using var request = new HttpRequestMessage(HttpMethod.Post, options.CurrentValue.Url)
        {
            Content = new FormUrlEncodedContent([new("token", token), new("tlm", tlm.ToJsonString())]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("APIKEY", apiKey);
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode && StatusOf(answer) == "ok")
        {
            Record(status.Vin, readingTime, null);
        }
        else
        {
            Record(status.Vin, null, $"ABRP refused the reading ({(int)response.StatusCode}: {ErrorOf(answer)})");
        }
    }

    private void Record(string vin, DateTimeOffset? sentReading, string? error)
    {
        var before = StateOf(vin);
        var now = time.GetUtcNow();
        states[vin] = sentReading is { } reading
            ? new AbrpCarState(reading, now, null)
            : new AbrpCarState(before?.LastReadingAt, before?.LastSentAt, error);
        // One line per change of trouble, not one per reading: a wrong token would otherwise fill the log.
        if (error is not null && before?.LastError != error)
        {
            LogNotSent(logger, vin, error);
        }
    }

    private static string? StatusOf(string answer) => Field(answer, "status");

    private static string ErrorOf(string answer) => Field(answer, "error") ?? Field(answer, "status") ?? "no answer";

    private static string? Field(string answer, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "ABRP live data of {Vin} not sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string vin, string reason);
}

/// <summary>A car's last ABRP send: the car's time of the reading sent, when it was sent, and the last trouble since.</summary>
public sealed record AbrpCarState(DateTimeOffset? LastReadingAt, DateTimeOffset? LastSentAt, string? LastError);
