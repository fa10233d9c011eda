/** Neural-network building blocks composed from {@code org.grad4j.core} tensor ops. */
package org.grad4j.nn;
