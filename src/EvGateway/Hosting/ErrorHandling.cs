using System.Reflection;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EvGateway.Hosting;

/// <summary>
/// Turns every failure into an answer a script can act on: RFC 9457 ProblemDetails with a stable <c>code</c> on the
/// REST surface (and a Retry-After where waiting helps), never a stack trace. Routes whose failures have a shape of
/// their own (the legacy ones) say so with <see cref="IFailureShape"/>.
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
                context.ProblemDetails.Extensions["code"] = GatewayProblems.CodeForStatus(context.ProblemDetails.Status);
            }
        });
        services.AddExceptionHandler<GatewayExceptionHandler>();
        return services;
    }

    /// <summary>
    /// Gives an error answered without a body (an unknown route's 404, a 405, an endpoint's bare NotFound) the
    /// ProblemDetails body every other failure has, as <c>UseStatusCodePages</c> does. That middleware also sets a
    /// feature and an <c>Items</c> entry on every request, the one error or not: a tenth of what a cached status read
    /// costs, for the few requests that fail.
    /// </summary>
    public static IApplicationBuilder UseProblemBodies(this IApplicationBuilder app) => app.UseMiddleware<ProblemBodies>();

    private sealed class ProblemBodies(RequestDelegate next, IProblemDetailsService problems)
    {
        public Task InvokeAsync(HttpContext context)
        {
            var answered = next(context);
            return answered.IsCompletedSuccessfully ? WriteIfBare(context) : AfterAsync(answered, context);
        }

        private async Task AfterAsync(Task answered, HttpContext context)
        {
            await answered;
            await WriteIfBare(context);
        }

        private Task WriteIfBare(HttpContext context)
        {
            var response = context.Response;
            if (response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength is not null
                || !string.IsNullOrEmpty(response.ContentType))
            {
                return Task.CompletedTask;
            }

            return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = response.StatusCode } }).AsTask();
        }
    }

    private sealed class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is GatewayException shaped && context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IFailureShape>() is { } shape)
            {
                GatewayProblems.AddRetryAfter(context.Response, shaped.RetryAfter);
                await shape.Answer(shaped).ExecuteAsync(context);
                return true;
            }

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
                GatewayProblems.AddRetryAfter(context.Response, wait);
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
