using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EvGateway.Manufacturers.Psa.Mqtt;

/// <summary>
/// The one MQTT session with the PSA broker: logged in with user name IMA_OAUTH_ACCESS_TOKEN and the current remote
/// access token as password (psa.md §3; logged in again whenever that token is refreshed), subscribed to this
/// account's replies and to the cars' events, and matching each reply to the request that carries the same
/// correlation id. A login the broker refuses is retried after growing pauses, never in a loop, and shows on the
/// account's health until one succeeds.
/// </summary>
internal sealed partial class PsaMqttConnection : IAsyncDisposable
{
    private const string Username = "IMA_OAUTH_ACCESS_TOKEN";
    private const string EventTopicPrefix = "psa/RemoteServices/events/MPHRTServices/";

    /// <summary>The pause after the first refused login; it doubles with each further refusal.</summary>
    private static readonly TimeSpan FirstLoginRetryPause = TimeSpan.FromMinutes(1);

    /// <summary>The longest pause between two refused logins.</summary>
    private static readonly TimeSpan LongestLoginRetryPause = TimeSpan.FromMinutes(30);

    private readonly MqttClientFactory factory = new();
    private readonly PsaOptions options;
    private readonly PsaAccount account;
    private readonly PsaRemoteTokenProvider remoteTokens;
    private readonly TimeProvider time;
    private readonly ILogger<PsaMqttConnection> logger;
    private readonly SemaphoreSlim connectGate = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<PsaRemoteReply>> pending = new(StringComparer.Ordinal);
    private readonly string clientId = $"evgateway-{Guid.NewGuid():N}";
    private readonly PsaBrokerTrust trust;
    private Session? current;
    private LoginRefusal? refusal;
    private volatile string? handshakeFailure;

    public PsaMqttConnection(IOptions<PsaOptions> options, PsaAccount account, PsaRemoteTokenProvider remoteTokens, TimeProvider time,
        ILogger<PsaMqttConnection> logger)
    {
        this.time = time;
        this.options = options.Value;
        trust = PsaBrokerTrust.FromFile(this.options.Mqtt.CaCertificateFile);
        this.account = account;
        this.remoteTokens = remoteTokens;
        this.logger = logger;
    }

    /// <summary>A car pushed new data on its event topic.</summary>
    public event Action<PsaCarEvent>? CarEventReceived;

    public bool IsConnected => current?.Client.IsConnected == true;

    /// <summary>
    /// Failing, in words, while the broker refuses to log this account in or its TLS certificate is refused; null when
    /// there is nothing to report.
    /// </summary>
    public ProviderHealth? Problem => refusal is { } refused ? new ProviderHealth(ProviderHealthState.Failing, refused.Describe())
        : handshakeFailure is { } failure ? new ProviderHealth(ProviderHealthState.Failing, failure)
        : null;

    private string ReplyTopicFilter => $"psa/RemoteServices/to/cid/{account.FullCustomerId}/#";

    /// <summary>Connects (or reconnects with a refreshed remote token) unless already logged in with the current one.</summary>
    public Task EnsureConnectedAsync(CancellationToken cancellationToken) => SessionAsync(cancellationToken);

    private async Task<Session> SessionAsync(CancellationToken cancellationToken)
    {
        ThrowIfPaused();
        var remoteToken = await remoteTokens.GetAsync(cancellationToken);
        if (current is { } open && open.IsLoggedInWith(remoteToken))
        {
            return open;
        }

        await connectGate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfPaused();
            remoteToken = await remoteTokens.GetAsync(cancellationToken);
            if (current is { } opened && opened.IsLoggedInWith(remoteToken))
            {
                return opened;
            }

            await EndSessionAsync(cancellationToken);
            var (session, result) = await LogInAsync(remoteToken, cancellationToken);
            if (IsRefusedLogin(result) && refusal is null)
            {
                // The broker's clock or a revocation can end a token before ours says so: one new token, one more try.
                LogLoginRefusedRenewing(logger, Describe(result.ResultCode));
                remoteToken = await remoteTokens.RenewAsync(remoteToken, cancellationToken);
                (session, result) = await LogInAsync(remoteToken, cancellationToken);
            }

            if (IsRefusedLogin(result))
            {
                throw PauseAfterRefusal(result.ResultCode);
            }

            if (session is null)
            {
                throw GatewayException.Unavailable(PsaProvider.MakerName,
                    $"the remote-command broker turned the connection down ({Describe(result.ResultCode)})");
            }

            var subscription = factory.CreateSubscribeOptionsBuilder()
                .WithTopicFilter(ReplyTopicFilter, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter($"{EventTopicPrefix}#", MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            try
            {
                await session.Client.SubscribeAsync(subscription, cancellationToken);
            }
            catch
            {
                // A session without its subscriptions would take commands and never see a reply.
                session.EndedByGateway = true;
                session.Client.Dispose();
                throw;
            }

            current = session;
            refusal = null;
            handshakeFailure = null;
            LogConnected(logger, options.Mqtt.Host, options.Mqtt.Port);
            return session;
        }
        catch (Exception exception) when (PsaBrokerTrust.IsHandshakeFailure(exception))
        {
            // Retrying cannot help until the certificate or the setting changes, so it shows on the account at once.
            var failure = trust.LastRejection ?? "the TLS handshake with the remote-command broker failed";
            handshakeFailure = failure;
            LogHandshakeFailed(logger, failure);
            throw GatewayException.Unavailable(PsaProvider.MakerName, failure, exception);
        }
        catch (Exception exception) when (exception is MqttCommunicationException or InvalidOperationException
                                          || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw GatewayException.Unavailable(PsaProvider.MakerName, "the remote-command broker could not be reached", exception);
        }
        finally
        {
            connectGate.Release();
        }
    }

    /// <summary>
    /// Publishes the envelope <paramref name="envelopeFor"/> builds around the remote token the session is logged in
    /// with and waits for the reply with its correlation id, at most <paramref name="timeout"/>.
    /// </summary>
    /// <returns>What was sent and the reply, or null when no reply came in time.</returns>
    public async Task<(PsaRemoteRequest Request, PsaRemoteReply Reply)?> ExchangeAsync(string service,
        Func<string, PsaRemoteRequest> envelopeFor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string? correlationId = null;
        // The deadline starts before connecting so that nothing below (connect, publish, the car) can make a command hang.
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            var session = await SessionAsync(linked.Token);
            var request = envelopeFor(session.RemoteToken);
            correlationId = request.CorrelationId;
            var reply = new TaskCompletionSource<PsaRemoteReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[correlationId] = reply;
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"psa/RemoteServices/from/cid/{account.FullCustomerId}{service}")
                .WithPayload(JsonSerializer.Serialize(request, PsaMqttJson.Options))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            await session.Client.PublishAsync(message, linked.Token);
            LogPublished(logger, service, request.Vin, correlationId);
            return (request, await reply.Task.WaitAsync(linked.Token));
        }
        catch (Exception exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                          && exception is OperationCanceledException or GatewayException or MqttCommunicationException)
        {
            // Whatever was still pending when the deadline struck (the login, the broker's ack, the car's reply) never came in time.
            LogNoReply(logger, service, correlationId ?? "not sent");
            return null;
        }
        catch (MqttCommunicationException exception)
        {
            throw GatewayException.Unavailable(PsaProvider.MakerName, "the remote-command broker failed", exception);
        }
        finally
        {
            if (correlationId is not null)
            {
                pending.TryRemove(correlationId, out _);
            }
        }
    }

    // Each login gets a client of its own: the MQTT client finishes a refused or closed connection in the background,
    // and a fresh one neither waits for that nor mistakes its end for the broker dropping the next session.
    private async Task<(Session? Session, MqttClientConnectResult Result)> LogInAsync(string remoteToken, CancellationToken cancellationToken)
    {
        var session = new Session(factory.CreateMqttClient(), remoteToken);
        session.Client.ApplicationMessageReceivedAsync += OnMessageAsync;
        session.Client.DisconnectedAsync += e => OnDisconnectedAsync(session, e);
        var connectOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Mqtt.Host, options.Mqtt.Port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithCredentials(Username, remoteToken)
            .WithCleanSession()
            .WithTlsOptions(tls => tls.UseTls(options.Mqtt.UseTls).WithCertificateValidationHandler(trust.Validate))
            .Build();
        try
        {
            var result = await session.Client.ConnectAsync(connectOptions, cancellationToken);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                return (session, result);
            }

            session.Client.Dispose();
            return (null, result);
        }
        catch
        {
            session.Client.Dispose();
            throw;
        }
    }

    /// <summary>The broker checks the password at CONNECT only: a refreshed remote token needs a new session.</summary>
    private async Task EndSessionAsync(CancellationToken cancellationToken)
    {
        if (current is not { } ending)
        {
            return;
        }

        current = null;
        try
        {
            if (ending.Client.IsConnected)
            {
                ending.EndedByGateway = true;
                await ending.Client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker dropped the link before the goodbye (a quiet session that outlived its keep-alive): the session
            // is over either way.
        }
        finally
        {
            ending.Client.Dispose();
        }
    }

    private static bool IsRefusedLogin(MqttClientConnectResult result) =>
        result.ResultCode is MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadUserNameOrPassword;

    private void ThrowIfPaused()
    {
        if (refusal is { } refused && time.GetUtcNow() < refused.RetryAt)
        {
            throw refused.ToException(time.GetUtcNow());
        }
    }

    private GatewayException PauseAfterRefusal(MqttClientConnectResultCode code)
    {
        var count = (refusal?.Count ?? 0) + 1;
        var pause = PauseAfter(count);
        var refused = new LoginRefusal(Describe(code), count, time.GetUtcNow() + pause);
        refusal = refused;
        LogLoginRefused(logger, refused.Reason, count, pause.TotalMinutes);
        return refused.ToException(time.GetUtcNow());
    }

    private static TimeSpan PauseAfter(int refusals)
    {
        var pause = FirstLoginRetryPause * Math.Pow(2, Math.Min(refusals - 1, 16));
        return pause < LongestLoginRetryPause ? pause : LongestLoginRetryPause;
    }

    private static string Describe(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.NotAuthorized => "not authorized",
        MqttClientConnectResultCode.BadUserNameOrPassword => "bad user name or password",
        MqttClientConnectResultCode.ServerUnavailable => "server unavailable",
        MqttClientConnectResultCode.ServerBusy => "server busy",
        _ => code.ToString(),
    };

    private Task OnDisconnectedAsync(Session session, MqttClientDisconnectedEventArgs e)
    {
        if (e.ClientWasConnected && !session.EndedByGateway)
        {
            // Reconnecting is left to the next command or session check: both fetch a current remote token first.
            LogDropped(logger);
        }

        return Task.CompletedTask;
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var payload = e.ApplicationMessage.ConvertPayloadToString();
        if (topic.StartsWith(EventTopicPrefix, StringComparison.Ordinal))
        {
            if (PsaMqttJson.TryRead<PsaCarEvent>(payload) is { } carEvent)
            {
                var vin = string.IsNullOrEmpty(carEvent.Vin) ? topic[EventTopicPrefix.Length..] : carEvent.Vin;
                try
                {
                    CarEventReceived?.Invoke(carEvent with { Vin = vin });
                }
                catch (Exception exception)
                {
                    // A failing subscriber must not take the broker session (and every pending command) down with it.
                    LogEventHandlerFailed(logger, vin, exception);
                }
            }
        }
        else if (PsaMqttJson.TryRead<PsaRemoteReply>(payload) is { CorrelationId: { } correlationId } reply
                 && pending.TryGetValue(correlationId, out var waiting))
        {
            LogReply(logger, correlationId, reply.ReturnCode, reply.ProcessCode);
            waiting.TrySetResult(reply);
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await EndSessionAsync(CancellationToken.None);

    [LoggerMessage(LogLevel.Error, "PSA remote commands are unavailable: {Failure}")]
    private static partial void LogHandshakeFailed(ILogger logger, string failure);

    [LoggerMessage(LogLevel.Information, "Connected to the PSA remote-command broker {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string host, int port);

    [LoggerMessage(LogLevel.Information, "Published PSA command {Service} for {Vin} ({CorrelationId})")]
    private static partial void LogPublished(ILogger logger, string service, string vin, string correlationId);

    [LoggerMessage(LogLevel.Information, "PSA reply {CorrelationId}: return_code {ReturnCode}, process_code {ProcessCode}")]
    private static partial void LogReply(ILogger logger, string correlationId, string? returnCode, string? processCode);

    [LoggerMessage(LogLevel.Error, "Handling a PSA event for {Vin} failed")]
    private static partial void LogEventHandlerFailed(ILogger logger, string vin, Exception exception);

    [LoggerMessage(LogLevel.Warning, "No reply to PSA command {Service} ({CorrelationId}) in time")]
    private static partial void LogNoReply(ILogger logger, string service, string correlationId);

    [LoggerMessage(LogLevel.Information, "The PSA remote-command broker refused the login ({Reason}); fetching a new remote token and trying once more")]
    private static partial void LogLoginRefusedRenewing(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Error,
        "The PSA remote-command broker refused the login ({Reason}), {Count} time(s) in a row; remote commands pause for {PauseMinutes} min before the next attempt")]
    private static partial void LogLoginRefused(ILogger logger, string reason, int count, double pauseMinutes);

    [LoggerMessage(LogLevel.Warning, "The PSA remote-command broker closed the session; the next command or session check logs in again")]
    private static partial void LogDropped(ILogger logger);

    /// <summary>The broker's latest refusals in a row and when the next login may be tried.</summary>
    /// <summary>One login: its own client, the token it logged in with, and whether the gateway itself closed it.</summary>
    private sealed class Session(IMqttClient client, string remoteToken)
    {
        public IMqttClient Client => client;
        public string RemoteToken => remoteToken;
        public bool EndedByGateway { get; set; }

        public bool IsLoggedInWith(string token) => client.IsConnected && remoteToken == token;
    }

    private sealed record LoginRefusal(string Reason, int Count, DateTimeOffset RetryAt)
    {
        public string Describe() =>
            $"the remote-command broker refused the login ({Reason}) {Count} time(s) in a row; next attempt after {RetryAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC";

        public GatewayException ToException(DateTimeOffset now) => new(ErrorCodes.UpstreamUnavailable, 503,
            $"The {PsaProvider.MakerName} cloud failed: {Describe()}.", RetryAt - now);
    }
}
