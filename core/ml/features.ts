/** The feature layer in one import: specs, the instant and forecast vectors, and example building. */
export { type LocationSeries } from './dataset';
export { buildExamples, featureRowsBetween, forecastFeatures, type Examples, type FeatureRowAt } from './examples';
export {
  assertSupportedSpec,
  featureSpec,
  featureSpecFor,
  maxForecastHorizonHours,
  modelKinds,
  targetMethod,
  type FeatureSpec,
  type ModelKind,
} from './feature-spec';
export { instantFeatures, instantInput, type InstantInput } from './instant-features';
