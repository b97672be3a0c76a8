/** The CNN face detector: DL4J YOLOv2-style networks from {@code detector;type=cnn} model bundles. */
package konomi.detect.cnn;
