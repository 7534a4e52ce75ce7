using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EvGateway.HomeAutomation;

/// <summary>
/// Publishes every new status to the owner's MQTT broker (retained state, field and location topics, Home Assistant
/// discovery) and takes commands from its set topics. It follows the status cache only, so it never causes a cloud
/// call of its own. One connection at a time: a lost or refused one is retried after a pause that doubles up to
/// <see cref="LongestPause"/>; the last will marks the gateway offline when the connection dies without a goodbye.
/// </summary>
public sealed partial class MqttPublisher : BackgroundService
{
    public const string Online = "online";
    public const string Offline = "offline";

    /// <summary>Statuses waiting to be published; when the broker is slower, only the newest are kept.</summary>
    private const int QueueCapacity = 256;

    /// <summary>Commands waiting for the car; more at once is a flood, answered as refused rather than queued.</summary>
    private const int CommandQueueCapacity = 16;

    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(5);

    private readonly MqttClientFactory factory = new();
    private readonly MqttOptions mqtt;
    private readonly VehicleStatusCache cache;
    private readonly VehicleDirectory directory;
    private readonly VehicleCommands commands;
    private readonly StatusDocuments documents;
    private readonly IChargeThresholds? thresholds;
    private readonly IChargeLimit[] carLimits;
    private readonly TimeProvider time;
    private readonly ILogger<MqttPublisher> logger;
    private readonly ConcurrentDictionary<string, VehicleStatus> latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> badTopicsLogged = new(StringComparer.Ordinal);
    // A session that ended may leave a wait on it behind, so it is not declared single-reader.
    private readonly Channel<VehicleStatus> queue = Channel.CreateBounded<VehicleStatus>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    // Rare news that changes which cars are published: a new full car list, or the broker's record of the last session.
    private readonly Channel<object> carNews = Channel.CreateUnbounded<object>();

    public MqttPublisher(IOptions<MqttOptions> options, VehicleStatusCache cache, VehicleDirectory directory, VehicleCommands commands,
        StatusDocuments documents, IEnumerable<IChargeThresholds> thresholds, IEnumerable<IChargeLimit> carLimits, TimeProvider time,
        ILogger<MqttPublisher> logger)
    {
        this.thresholds = thresholds.FirstOrDefault();
        this.carLimits = carLimits.ToArray();
        mqtt = options.Value;
        this.cache = cache;
        this.directory = directory;
        this.commands = commands;
        this.documents = documents;
        this.time = time;
        this.logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mqtt.Enabled)
        {
            return;
        }

        cache.StatusChanged += OnStatus;
        directory.Listed += OnListed;
        try
        {
            var pause = FirstPause;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunSessionAsync(stoppingToken);
                    pause = FirstPause;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception failure)
                {
                    LogSessionFailed(logger, mqtt.Host!, mqtt.Port, failure.Message, pause.TotalSeconds);
                }

                await Task.Delay(pause, time, stoppingToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            cache.StatusChanged -= OnStatus;
            directory.Listed -= OnListed;
        }
    }

    private void OnListed(IReadOnlyList<Vehicle> cars) => carNews.Writer.TryWrite(new CarList(cars));

    private void OnStatus(VehicleStatus status)
    {
        latest[status.Vin] = status;
        queue.Writer.TryWrite(status);
    }

    private async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        using var client = factory.CreateMqttClient();
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            lost.TrySetResult();
            return Task.CompletedTask;
        };
        var inbox = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(CommandQueueCapacity) { SingleReader = true });
        client.ApplicationMessageReceivedAsync += e => e.ApplicationMessage.Topic == mqtt.PublishedTopic
            ? RecordReceived(e.ApplicationMessage)
            : ReceiveAsync(client, inbox, e.ApplicationMessage);

        var result = await client.ConnectAsync(ConnectOptions(), stoppingToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection ({result.ResultCode})");
        }

        using var commandsEnd = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var commandWorker = HandleCommandsAsync(client, inbox.Reader, commandsEnd.Token);
        try
        {
            await client.SubscribeAsync(factory.CreateSubscribeOptionsBuilder()
                .WithTopicFilter($"{mqtt.TopicPrefix}/+/set/+", MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(mqtt.PublishedTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), stoppingToken);
            await PublishAsync(client, mqtt.StatusTopic, Online, stoppingToken);
            var gateway = HomeAssistantDiscovery.Gateway(mqtt);
            await PublishAsync(client, gateway.Topic, gateway.Payload.ToJsonString(), stoppingToken);
            LogConnected(logger, mqtt.Host!, mqtt.Port);

            var session = new Session(client, new HashSet<string>(StringComparer.OrdinalIgnoreCase), new PublishedCars());
            // Whatever happened while the broker was away, as it is now.
            foreach (var status in latest.Values)
            {
                await PublishCarSafelyAsync(session, status, stoppingToken);
            }

            if (directory.LastFullList is { } cars)
            {
                carNews.Writer.TryWrite(new CarList(cars));
            }

            while (true)
            {
                var nextStatus = queue.Reader.WaitToReadAsync(stoppingToken).AsTask();
                var nextNews = carNews.Reader.WaitToReadAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(nextStatus, nextNews, lost.Task) == lost.Task)
                {
                    throw new InvalidOperationException("the broker closed the connection");
                }

                stoppingToken.ThrowIfCancellationRequested();
                while (carNews.Reader.TryRead(out var news))
                {
                    await FollowCarNewsAsync(session, news, stoppingToken);
                }

                while (queue.Reader.TryRead(out var status))
                {
                    await PublishCarSafelyAsync(session, status, stoppingToken);
                }
            }
        }
        finally
        {
            inbox.Writer.TryComplete();
            await commandsEnd.CancelAsync();
            await commandWorker;
            if (client.IsConnected)
            {
                await SayGoodbyeAsync(client);
            }
        }
    }

    private MqttClientOptions ConnectOptions()
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId($"evgateway-{Guid.NewGuid():N}")
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTlsOptions(tls => tls.UseTls(mqtt.UseTls))
            .WithWillTopic(mqtt.StatusTopic)
            .WithWillPayload(Offline)
            .WithWillRetain()
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(mqtt.Username))
        {
            builder.WithCredentials(mqtt.Username, mqtt.Password);
        }

        return builder.Build();
    }

    // A status that cannot be published (a car the directory does not know yet, a payload the broker refuses) is
    // logged and skipped; a lost connection ends the session and the next one republishes the latest statuses.
    private async Task PublishCarSafelyAsync(Session session, VehicleStatus status, CancellationToken cancellationToken)
    {
        try
        {
            await PublishCarAsync(session, status, cancellationToken);
        }
        catch (Exception failure) when (session.Client.IsConnected && failure is not OperationCanceledException)
        {
            LogPublishFailed(logger, status.Vin, failure);
        }
    }

    private async Task PublishCarAsync(Session session, VehicleStatus status, CancellationToken cancellationToken)
    {
        var messages = new List<(string Topic, string Payload)>();
        if (!session.Discovered.Contains(status.Vin) && directory.TryFindCached(status.Vin) is { } entry)
        {
            messages.AddRange(HomeAssistantDiscovery.For(entry.Vehicle, mqtt, ChargeLimitsFor(entry.Vehicle))
                .Select(config => (config.Topic, config.Payload.ToJsonString())));
            session.Discovered.Add(status.Vin);
        }

        messages.Add((mqtt.CarTopic(status.Vin, MqttFields.State), documents.Status(status)));
        messages.AddRange(MqttFields.Of(status).Select(field => (mqtt.CarTopic(status.Vin, field.Field), field.Value)));
        if (status.Location is { } location)
        {
            messages.Add((mqtt.CarTopic(status.Vin, MqttFields.Location), MqttFields.LocationDocument(location)));
        }

        // The record first: a gateway that dies halfway still knows to clear what it began to publish.
        if (session.Published.Add(status.Vin, [.. messages.Select(m => m.Topic), mqtt.CarTopic(status.Vin, MqttFields.ChargeLimit)]))
        {
            await PublishAsync(session.Client, mqtt.PublishedTopic, session.Published.ToJson(), cancellationToken);
        }

        foreach (var (topic, payload) in messages)
        {
            await PublishAsync(session.Client, topic, payload, cancellationToken);
        }

        await PublishChargeLimitAsync(session.Client, status.Vin, cancellationToken);
    }

    private Task RecordReceived(MqttApplicationMessage message)
    {
        carNews.Writer.TryWrite(new PublishedRecord(message.ConvertPayloadToString()));
        return Task.CompletedTask;
    }

    // The broker's record of earlier sessions is merged in whenever it arrives (it is retained, so at once after
    // subscribing); against a full car list, every car that is gone has its retained topics cleared, which removes
    // it from Home Assistant.
    private async Task FollowCarNewsAsync(Session session, object news, CancellationToken cancellationToken)
    {
        if (news is PublishedRecord record)
        {
            session.Published.Merge(PublishedCars.Parse(record.Json));
        }

        var cars = (news as CarList)?.Cars ?? directory.LastFullList;
        if (cars is null)
        {
            return;
        }

        var gone = session.Published.RemoveAllBut(cars.Select(car => car.Vin));
        if (gone.Count == 0)
        {
            return;
        }

        foreach (var (vin, topics) in gone)
        {
            latest.TryRemove(vin, out _);
            session.Discovered.Remove(vin);
            foreach (var topic in topics)
            {
                // An empty retained message deletes the retained one; for a discovery config it removes the entity.
                await PublishAsync(session.Client, topic, "", cancellationToken);
            }

            LogCarWithdrawn(logger, vin, topics.Count);
        }

        await PublishAsync(session.Client, mqtt.PublishedTopic, session.Published.ToJson(), cancellationToken);
    }

    private async Task PublishChargeLimitAsync(IMqttClient client, string vin, CancellationToken cancellationToken)
    {
        if (documents.ChargeThreshold(vin) is { } threshold)
        {
            await PublishAsync(client, mqtt.CarTopic(vin, MqttFields.ChargeLimit), threshold.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
    }

    // Charge control holds a limit by stopping the charge, or by writing the car's own limit in the steps it takes.
    private ChargeLimitSteps? ChargeLimitsFor(Vehicle car) =>
        thresholds is null ? null
        : car.Has(VehicleCapability.ChargeStop) ? new ChargeLimitSteps(1, 1)
        : car.Has(VehicleCapability.ChargeLimit) && carLimits.FirstOrDefault(l => l.Supports(car)) is { } limit ? limit.Steps(car)
        : null;

    private Task ReceiveAsync(IMqttClient client, Channel<MqttApplicationMessage> inbox, MqttApplicationMessage message)
    {
        // A retained command would run again at every reconnect: only live ones are obeyed.
        if (message.Retain)
        {
            LogOnce(message.Topic, "a retained message on a command topic is ignored; publish commands without the retain flag");
            return Task.CompletedTask;
        }

        if (inbox.Writer.TryWrite(message))
        {
            return Task.CompletedTask;
        }

        return AnswerAsync(client, message.Topic, Refused(message, ErrorCodes.Conflict, "Too many commands at once; this one was not sent."),
            CancellationToken.None);
    }

    private async Task HandleCommandsAsync(IMqttClient client, ChannelReader<MqttApplicationMessage> inbox, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in inbox.ReadAllAsync(cancellationToken))
            {
                try
                {
                    var result = await RunCommandAsync(message, cancellationToken);
                    await AnswerAsync(client, message.Topic, result, cancellationToken);
                    if (result is { Accepted: true, Command: MqttCommands.ChargeLimit })
                    {
                        await PublishChargeLimitAsync(client, SetTopicParts(message.Topic).Vin, cancellationToken);
                    }
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    LogCommandFailed(logger, message.Topic, failure);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session ended; commands still queued were never acknowledged by the gateway and are dropped with it.
        }
    }

    private async Task<CommandResult> RunCommandAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        var (vin, command) = SetTopicParts(message.Topic);
        var payload = message.ConvertPayloadToString() ?? "";
        if (!Vin.IsValid(vin))
        {
            LogOnce(message.Topic, "the topic names no valid VIN");
            return Refused(message, ErrorCodes.ValidationFailed, Vin.Rule);
        }

        Func<Task<CommandOutcome>> send;
        try
        {
            send = command == MqttCommands.ChargeLimit
                ? SetChargeLimit(vin, MqttCommands.ParseChargeLimit(payload), cancellationToken)
                : SendCommand(vin, MqttCommands.Parse(command, payload), cancellationToken);
        }
        catch (GatewayException invalid)
        {
            LogOnce(message.Topic, invalid.Message);
            return Refused(message, invalid.Code, invalid.Message);
        }

        try
        {
            var outcome = await send();
            return new CommandResult(command, payload, outcome.Accepted, outcome.Detail, null, time.GetUtcNow());
        }
        catch (GatewayException refused)
        {
            return Refused(message, refused.Code, refused.Message);
        }
    }

    // A command topic is home automation, not a person at a button: a PSA wake-up sent this way follows the wake-up policy.
    private Func<Task<CommandOutcome>> SendCommand(string vin, VehicleCommand command, CancellationToken cancellationToken) => async () =>
    {
        using var intent = CallIntent.Enter(new CallIntent(CallPriority.Command, ByPerson: false));
        return await commands.SendAsync(vin, command, cancellationToken);
    };

    private Func<Task<CommandOutcome>> SetChargeLimit(string vin, int percent, CancellationToken cancellationToken) => async () =>
    {
        if (thresholds is null)
        {
            throw GatewayException.CapabilityNotSupported(vin, "a charge limit (charge control is not part of this gateway)");
        }

        var held = await thresholds.SetThresholdAsync(vin, percent, cancellationToken);
        return new CommandOutcome(true, held == 100 ? "No charge limit." : $"Charging stops at {held} %.");
    };

    private CommandResult Refused(MqttApplicationMessage message, string code, string detail) =>
        new(SetTopicParts(message.Topic).Command, MqttCommands.Shorten(message.ConvertPayloadToString() ?? ""), false, detail, code, time.GetUtcNow());

    private (string Vin, string Command) SetTopicParts(string topic)
    {
        // The subscription is <prefix>/+/set/+, so the topic always has the VIN and the command at these places.
        var levels = topic.Split('/');
        return (levels[^3], levels[^1]);
    }

    private Task AnswerAsync(IMqttClient client, string setTopic, CommandResult result, CancellationToken cancellationToken) =>
        PublishAsync(client, mqtt.CarTopic(SetTopicParts(setTopic).Vin, "command_result"),
            JsonSerializer.Serialize(result, CommandResultJson), cancellationToken, retain: false);

    private static readonly JsonSerializerOptions CommandResultJson = new(JsonSerializerDefaults.Web);

    private void LogOnce(string topic, string reason)
    {
        if (badTopicsLogged.TryAdd(topic, true))
        {
            LogBadCommand(logger, topic, reason);
        }
    }

    private static Task PublishAsync(IMqttClient client, string topic, string payload, CancellationToken cancellationToken, bool retain = true) =>
        client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), cancellationToken);

    // A clean stop says "offline" itself (the broker only sends the last will when the connection dies).
    private async Task SayGoodbyeAsync(IMqttClient client)
    {
        using var timeout = new CancellationTokenSource(GoodbyeTimeout, time);
        try
        {
            await PublishAsync(client, mqtt.StatusTopic, Offline, timeout.Token);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token);
        }
        catch (Exception failure) when (failure is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            LogGoodbyeFailed(logger, failure.Message);
        }
    }

    private sealed record Session(IMqttClient Client, HashSet<string> Discovered, PublishedCars Published);

    private sealed record CarList(IReadOnlyList<Vehicle> Cars);

    private sealed record PublishedRecord(string? Json);

    /// <summary>What <c>&lt;prefix&gt;/&lt;vin&gt;/command_result</c> says about a command from a set topic.</summary>
    public sealed record CommandResult(string Command, string Payload, bool Accepted, string Detail, string? Code, DateTimeOffset At);

    [LoggerMessage(LogLevel.Information, "Connected to the MQTT broker {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(LogLevel.Warning, "MQTT broker {Host}:{Port}: {Reason}; connecting again in {PauseSeconds} s")]
    private static partial void LogSessionFailed(ILogger logger, string host, int port, string reason, double pauseSeconds);

    [LoggerMessage(LogLevel.Information, "{Vin} is no longer one of the gateway's cars: its {TopicCount} retained MQTT topics were cleared (Home Assistant removes its device)")]
    private static partial void LogCarWithdrawn(ILogger logger, string vin, int topicCount);

    [LoggerMessage(LogLevel.Error, "Publishing the status of {Vin} over MQTT failed")]
    private static partial void LogPublishFailed(ILogger logger, string vin, Exception failure);

    [LoggerMessage(LogLevel.Error, "Answering the MQTT command on {Topic} failed")]
    private static partial void LogCommandFailed(ILogger logger, string topic, Exception failure);

    [LoggerMessage(LogLevel.Warning, "MQTT command on {Topic} refused: {Reason} (logged once per topic; each refusal is answered on command_result)")]
    private static partial void LogBadCommand(ILogger logger, string topic, string reason);

    [LoggerMessage(LogLevel.Information, "Could not say goodbye to the MQTT broker: {Reason}")]
    private static partial void LogGoodbyeFailed(ILogger logger, string reason);
}
