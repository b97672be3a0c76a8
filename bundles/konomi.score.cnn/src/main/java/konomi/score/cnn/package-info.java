/** DL4J scorers loaded from model bundles. */
package konomi.score.cnn;
