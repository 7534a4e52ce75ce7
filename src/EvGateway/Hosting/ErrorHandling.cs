using System.Reflection;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EvGateway.Hosting;

/// <summary>
/// Turns every failure into an answer a script can act on: RFC 9457 ProblemDetails with a stable <c>code</c> on the
/// REST surface (and a Retry-After where waiting helps), never a stack trace. Legacy routes shape their own errors.
/// </summary>
public static class ErrorHandling
{
    public static IServiceCollection AddGatewayProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.Remove("exception");
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                context.ProblemDetails.Extensions["code"] = CodeForStatus(context.ProblemDetails.Status);
            }
        });
        services.AddExceptionHandler<GatewayExceptionHandler>();
        return services;
    }

    /// <summary>
    /// Documents the ProblemDetails answers every car route may give besides its own: unknown car, refused login,
    /// missing capability, and the cloud's trouble (failure, quota, timeout).
    /// </summary>
    public static TBuilder WithGatewayProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in new[] { 401, 404, 501, 502, 503, 504 })
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }

        return builder;
    }

    /// <summary>The ProblemDetails of a gateway failure (shared by the REST handler and tests).</summary>
    public static ProblemDetails ToProblem(this GatewayException failure, string? instance = null) => new()
    {
        Status = failure.StatusCode,
        Title = TitleFor(failure.Code),
        Detail = failure.Message,
        Instance = instance,
        Extensions = { ["code"] = failure.Code },
    };

    public static string CodeForStatus(int? status) => status switch
    {
        400 => ErrorCodes.ValidationFailed,
        403 => ErrorCodes.Forbidden,
        404 => "not_found",
        405 => "method_not_allowed",
        415 => "unsupported_media_type",
        _ => "error",
    };

    private static string TitleFor(string code) => code switch
    {
        ErrorCodes.VehicleNotFound => "Unknown vehicle",
        ErrorCodes.CapabilityNotSupported => "Not supported by this car",
        ErrorCodes.UpstreamRateLimited => "The maker's cloud quota is exhausted",
        ErrorCodes.UpstreamUnavailable => "The maker's cloud failed",
        ErrorCodes.UpstreamTimeout => "The maker's cloud did not answer in time",
        ErrorCodes.InvalidCredentials => "The maker's cloud refused the login",
        ErrorCodes.ValidationFailed => "Invalid request",
        ErrorCodes.VehicleAsleep => "The car did not answer",
        ErrorCodes.PrivacyMode => "The car is in privacy mode",
        ErrorCodes.WakeUpLimit => "Too many wake-ups",
        ErrorCodes.Conflict => "Another action is in progress",
        ErrorCodes.Forbidden => "Not allowed",
        _ => "Request failed",
    };

    /// <summary>Adds Retry-After (whole seconds, at least 1) when the failure says how long to wait.</summary>
    public static void AddRetryAfter(HttpResponse response, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            var problem = exception switch
            {
                GatewayException failure => failure.ToProblem(context.Request.Path),
                BadHttpRequestException { InnerException: JsonException json } => BadJson(json),
                BadHttpRequestException bad => BadRequest(bad.Message),
                JsonException json => BadJson(json),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
                _ => null,
            };

            if (problem is null)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return true;
                }

                logger.LogError(exception, "Unhandled failure on {Method} {Path}", context.Request.Method, context.Request.Path);
                problem = new ProblemDetails { Status = 500, Title = "Internal error", Detail = "The gateway failed; see its log.", Extensions = { ["code"] = "internal_error" } };
            }

            if (exception is GatewayException { RetryAfter: var wait })
            {
                AddRetryAfter(context.Response, wait);
            }

            context.Response.StatusCode = problem.Status ?? 500;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        }

        private static ProblemDetails BadRequest(string detail) => new()
        {
            Status = 400,
            Title = "Invalid request",
            Detail = detail,
            Extensions = { ["code"] = ErrorCodes.ValidationFailed },
        };

        // A body that does not parse names the field it broke on ("daily.start") and what was expected there, in
        // JSON's words rather than the gateway's type names.
        private static ProblemDetails BadJson(JsonException json)
        {
            var field = json.Path is { Length: > 1 } path ? path.TrimStart('$').TrimStart('.') : null;
            var message = json.Message.Split(" Path:")[0];
            const string converted = "could not be converted to ";
            var reason = message.IndexOf(converted, StringComparison.Ordinal) is var at and >= 0
                ? $"must be {ExpectedKind(message[(at + converted.Length)..].TrimEnd('.'), field)}."
                : message;
            if (field is null)
            {
                return BadRequest($"The body is not valid JSON: {reason}");
            }

            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
            {
                Status = 400,
                Title = "Invalid request",
                Detail = $"The body is not valid JSON: {field}: {reason}",
                Extensions = { ["code"] = ErrorCodes.ValidationFailed },
            };
        }

        // The serializer names the type it was filling: the field's own type, or (for a record's constructor
        // parameter) the record that declares the field.
        private static string ExpectedKind(string typeName, string? field)
        {
            var type = typeof(ErrorHandling).Assembly.GetType(typeName) ?? Type.GetType(typeName);
            var member = field?.Split('.')[^1].Split('[')[0];
            if (type is not null && member is { Length: > 0 }
                && type.GetProperty(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { } property)
            {
                type = property.PropertyType;
            }

            return type is null ? "another kind of value" : JsonKind(Nullable.GetUnderlyingType(type) ?? type);
        }

        private static string JsonKind(Type type) => Type.GetTypeCode(type) switch
        {
            TypeCode.String => "a string",
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64
                or TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            _ when IsDictionary(type) => "an object",
            _ when typeof(System.Collections.IEnumerable).IsAssignableFrom(type) => "a list",
            _ => "an object",
        };

        private static bool IsDictionary(Type type) =>
            typeof(System.Collections.IDictionary).IsAssignableFrom(type)
            || type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
    }
}
